"""How pets are laid out in DynamoDB: derived sort keys, the indexes, and how a filter picks one.

Sort keys are fixed-width strings "<zero-padded integer>#<id>": they sort numerically, are unique per
pet (so a page can resume strictly after the last pet returned), and a numeric range maps to a key range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..models import PetFilter, SortOrder

ALL_PARTITION = "PET"
PRICE_DIGITS = 10  # cents up to 1,000,000.00
AGE_DIGITS = 5  # hundredths of a year up to 100.00
HIGHEST = "#~"  # sorts after "#<uuid>"
POSITION_RE = re.compile(r"^(?:\d{5}|\d{10})#[0-9a-f-]{36}$|^[0-9a-f-]{36}$")


def _scaled(value: float | Decimal) -> Decimal:
    return Decimal(str(value)) * 100


def price_sk(price: float | Decimal, pet_id: str) -> str:
    return f"{int(_scaled(price)):0{PRICE_DIGITS}d}#{pet_id}"


def age_sk(age: float | Decimal, pet_id: str) -> str:
    return f"{int(_scaled(age)):0{AGE_DIGITS}d}#{pet_id}"


@dataclass(frozen=True)
class Index:
    name: str
    partition_attr: str
    sort_attr: str
    sorts_by: str  # "price" or "age"
    digits: int


INDEXES = {
    ("type", "price"): Index("ByTypePrice", "type", "price_sk", "price", PRICE_DIGITS),
    ("type", "age"): Index("ByTypeAge", "type", "age_sk", "age", AGE_DIGITS),
    ("breed", "price"): Index("ByBreedPrice", "breed_key", "price_sk", "price", PRICE_DIGITS),
    ("breed", "age"): Index("ByBreedAge", "breed_key", "age_sk", "age", AGE_DIGITS),
    ("all", "price"): Index("ByPrice", "all_key", "price_sk", "price", PRICE_DIGITS),
    ("all", "age"): Index("ByAge", "all_key", "age_sk", "age", AGE_DIGITS),
}


@dataclass(frozen=True)
class IndexPlan:
    index: Index
    partitions: tuple[str, ...]
    low: str
    high: str
    descending: bool
    residual_price: bool  # the price bounds still need a filter expression
    residual_age: bool
    residual_type: bool  # breed partition, but the filter also names types


def inclusive_hundredths(low: float | None, low_strict: bool, high: float | None, high_strict: bool, digits: int) -> tuple[int, int]:
    """Integer (hundredths) inclusive range for a numeric range; stored values have at most 2 decimals."""
    lo, hi = 0, 10**digits - 1
    if low is not None:
        scaled = _scaled(low)
        lo = int(scaled.to_integral_value(ROUND_FLOOR)) + 1 if low_strict else int(scaled.to_integral_value(ROUND_CEILING))
    if high is not None:
        scaled = _scaled(high)
        hi = int(scaled.to_integral_value(ROUND_CEILING)) - 1 if high_strict else int(scaled.to_integral_value(ROUND_FLOOR))
    return max(lo, 0), min(hi, 10**digits - 1)


def plan_for(pet_filter: PetFilter) -> IndexPlan | None:
    """The index query that answers the filter, or None when only a Scan can (no type, breed, range or sort)."""
    f = pet_filter
    has_price = f.min_price is not None or f.max_price is not None
    has_age = f.min_age is not None or f.max_age is not None
    if f.sort in (SortOrder.price_asc, SortOrder.price_desc):
        by = "price"
    elif f.sort in (SortOrder.age_asc, SortOrder.age_desc):
        by = "age"
    elif has_age and not has_price:
        by = "age"
    else:
        by = "price"
    if f.breed:
        scope, partitions = "breed", (f.breed.lower(),)
    elif f.type:
        scope, partitions = "type", tuple(f.type)
    elif has_price or has_age or f.sort is not None:
        scope, partitions = "all", (ALL_PARTITION,)
    else:
        return None
    index = INDEXES[(scope, by)]
    if by == "price":
        lo, hi = inclusive_hundredths(f.min_price, f.min_price_strict, f.max_price, f.max_price_strict, index.digits)
    else:
        lo, hi = inclusive_hundredths(f.min_age, f.min_age_strict, f.max_age, f.max_age_strict, index.digits)
    return IndexPlan(
        index=index,
        partitions=partitions,
        low=f"{lo:0{index.digits}d}",
        high=f"{hi:0{index.digits}d}{HIGHEST}",
        descending=f.sort in (SortOrder.price_desc, SortOrder.age_desc),
        residual_price=has_price and by != "price",
        residual_age=has_age and by != "age",
        residual_type=scope == "breed" and bool(f.type),
    )


def after_position(plan: IndexPlan, position: str) -> tuple[str, str]:
    """Narrow the key range to what lies strictly beyond `position` in the plan's direction.

    All sort keys of an index have one length, so "> p" is ">= p + ' '" and "< p" is "<= p with its
    last character decremented".
    """
    if plan.descending:
        before = position[:-1] + chr(ord(position[-1]) - 1)
        return plan.low, min(plan.high, before)
    return max(plan.low, position + " "), plan.high
