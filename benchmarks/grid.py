"""Every filter shape the store answers, selective and not, and a deterministic inventory to run them on.

Shared by `make bench` (at 1,000 and 10,000 pets) and by the test that holds the read budget on a
smaller grid, so both look at the same shapes.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from petstore.models import Pet, PetFilter

KINDS = {
    "dog": ["Beagle", "Golden Retriever", "Labrador Retriever", "Poodle", "Dachshund"],
    "cat": ["Siamese", "Maine Coon", "Persian", "Bengal"],
    "bird": ["Budgie", "Cockatiel", "Canary"],
    "rabbit": ["Holland Lop", "Rex"],
    "fish": ["Goldfish", "Betta"],
    "hamster": ["Syrian"],
    "reptile": ["Leopard Gecko", "Corn Snake"],
}
NAMES = ["Max", "Bella", "Luna", "Charlie", "Lucy", "Cooper", "Daisy", "Milo", "Nala", "Rocky", "Maple", "Oscar",
         "Coco", "Bailey", "Zoe", "Mochi", "Pepper", "Olive", "Toby", "Rosie", "Émile", "Jack", "Sadie", "Biscuit"]


def inventory(count: int, seed: int = 1) -> list[Pet]:
    """`count` pets: seven types, about 20 breeds, prices 5-3,000, ages 0.1-15, every attribute mixed."""
    rng = random.Random(seed)
    pets = []
    for i in range(count):
        pet_type = rng.choice(list(KINDS))
        pets.append(Pet(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), name=f"{rng.choice(NAMES)} {i}", type=pet_type,
            breed=rng.choice(KINDS[pet_type] + [None]), age=round(rng.uniform(0.1, 15), 2),
            price=round(rng.uniform(5, 3000), 2), status=rng.choice(["available"] * 4 + ["pending", "adopted"]),
            sex=rng.choice(["female", "male", None]), size=rng.choice(["small", "medium", "large", None]),
            good_with={k: rng.choice([True, False, None]) for k in ("children", "dogs", "cats")},
            created_at="2026-01-01T00:00:00.000Z", updated_at="2026-01-01T00:00:00.000Z", version=1,
        ))
    return pets


@dataclass(frozen=True)
class Shape:
    label: str
    pet_filter: PetFilter
    text: str | None = None


# Each dimension: (label, filter fields), the first being "not named"; then a selective value and one that is not.
TYPES = [("", {}), ("dogs", {"type": ["dog"]}), ("7 types", {"type": sorted(KINDS)})]
BREEDS = [("", {}), ("Beagle", {"breed": "Beagle"})]
PRICES = [("", {}), ("price < $1", {"max_price": 1, "max_price_strict": True}),
          ("price 1,000-1,010", {"min_price": 1000, "max_price": 1010}), ("price 100-2,500", {"min_price": 100, "max_price": 2500})]
AGES = [("", {}), ("age 2-2.1", {"min_age": 2, "max_age": 2.1}), ("age 1-12", {"min_age": 1, "max_age": 12})]
STATUSES = [("", {}), ("adopted", {"status": "adopted"}), ("available", {"status": "available"})]
SORTS = [("", {}), ("cheapest", {"sort": "price_asc"}), ("youngest", {"sort": "age_asc"}), ("oldest", {"sort": "age_desc"})]
ATTRIBUTES = [("", {}), ("small, good with cats and children", {"size": "small", "good_with_cats": True, "good_with_children": True}),
              ("female", {"sex": "female"})]
TEXTS = [("q=ma", "ma"), ("q=retriever", "retriever"), ("q=zz", "zz")]


def _shape(combo: tuple[tuple[str, Any], ...]) -> Shape | None:
    fields: dict[str, Any] = {}
    text = None
    labels = []
    for label, value in combo:
        if label:
            labels.append(label)
        if isinstance(value, dict):
            fields.update(value)
        elif value is not None:
            text = value
    if "breed" in fields and "type" in fields and "dog" not in fields["type"]:
        return None  # no Beagle is a cat
    return Shape(", ".join(labels) or "everything", PetFilter(**fields), text)


def shapes(*, full: bool = True) -> Iterator[Shape]:
    """Every combination of type(s), breed, price, age, status, sort and attributes, then the name/breed search
    with types, statuses and sorts. Not `full`: a value of each kind, for the test of the budget."""
    dims: list[list[tuple[str, Any]]] = [TYPES, BREEDS, PRICES, AGES, STATUSES, SORTS, ATTRIBUTES]
    text_dims: list[list[tuple[str, Any]]] = [TEXTS, TYPES, STATUSES, SORTS[:2]]
    if not full:
        dims = [d[:2] if d is not BREEDS else d for d in (TYPES, BREEDS, PRICES[::2], AGES[::2], STATUSES, SORTS[::2], ATTRIBUTES)]
        text_dims = [TEXTS[:2], TYPES[:2], STATUSES[:2], SORTS[:2]]
    for dimensions in (dims, text_dims):
        for combo in itertools.product(*dimensions):
            shape = _shape(combo)
            if shape is not None:
                yield shape
