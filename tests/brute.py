"""The answer to a search computed the obvious way, from every pet in memory: what the store must agree with."""

from __future__ import annotations

from decimal import Decimal

from petstore.models import Pet, PetFilter, SortOrder
from petstore.store.keys import fold


def _within(value: float, low: float | None, low_strict: bool, high: float | None, high_strict: bool) -> bool:
    v = Decimal(str(value))
    if low is not None and (v <= Decimal(str(low)) if low_strict else v < Decimal(str(low))):
        return False
    return not (high is not None and (v >= Decimal(str(high)) if high_strict else v > Decimal(str(high))))


def text_matches(pet: Pet, text: str | None) -> bool:
    folded = fold(text or "")
    if not folded:
        return True
    if fold(pet.name).startswith(folded):
        return True
    breed = fold(pet.breed or "")
    return bool(breed) and (breed.startswith(folded) or any(word.startswith(folded) for word in breed.split()))


def matches(pet: Pet, f: PetFilter, text: str | None = None) -> bool:
    good_with = pet.good_with
    return (
        (f.type is None or pet.type in f.type)
        and (f.breed is None or (pet.breed or "").lower() == f.breed.lower())
        and _within(pet.price, f.min_price, f.min_price_strict, f.max_price, f.max_price_strict)
        and _within(pet.age, f.min_age, f.min_age_strict, f.max_age, f.max_age_strict)
        and (f.status is None or pet.status == f.status)
        and (f.sex is None or pet.sex == f.sex)
        and (f.size is None or pet.size == f.size)
        and (f.good_with_children is None or good_with.children is f.good_with_children)
        and (f.good_with_dogs is None or good_with.dogs is f.good_with_dogs)
        and (f.good_with_cats is None or good_with.cats is f.good_with_cats)
        and text_matches(pet, text)
    )


def order_key(pet: Pet, sort: SortOrder | None) -> tuple[object, str]:
    if sort in (SortOrder.price_asc, SortOrder.price_desc):
        return (round(Decimal(str(pet.price)) * 100), pet.id)
    if sort in (SortOrder.age_asc, SortOrder.age_desc):
        return (round(Decimal(str(pet.age)) * 100), pet.id)
    return (fold(pet.name), pet.id)


def expected(pets: list[Pet], f: PetFilter, text: str | None = None) -> list[Pet]:
    """The pets the search must return, in order, honouring the filter's limit."""
    found = [pet for pet in pets if matches(pet, f, text)]
    found.sort(key=lambda pet: order_key(pet, f.sort), reverse=f.sort in (SortOrder.price_desc, SortOrder.age_desc))
    return found[: f.limit] if f.limit is not None else found
