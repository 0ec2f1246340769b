"""How pets are laid out in DynamoDB: derived keys, the indexes, and key ranges.

Every pet carries three sort keys, each "<value>#<id>": unique per pet (so a page resumes strictly after a
position) and ordered by value, then id:

- `price_sk`: cents, 10 digits; `age_sk`: hundredths of a year, 5 digits (fixed width: numeric order);
- `name_sk`: the name folded for search and ordering ("Émile" -> "emile"), then the id.

Nine GSIs cross three partitions with those three orders: a type (`type`), a breed (`breed_key`), or
a status shard (`status_shard`, "<status>#<n>": the store-wide indexes are split by status and, within a
status, over STATUS_SHARDS shards so that no single partition key takes every write).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal, NamedTuple

from ..models import PetStatus, SortOrder

PRICE_DIGITS = 10  # cents up to 1,000,000.00
AGE_DIGITS = 5  # hundredths of a year up to 100.00
STATUS_SHARDS = 1
STATUSES = tuple(status.value for status in PetStatus)
ID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The highest code point: no folded name holds it (it is unassigned), so "<prefix>" + TOP bounds every
# key that starts with the prefix.
TOP = "\U0010ffff"

Attr = Literal["price", "age", "name"]
Scope = Literal["breed", "type", "status"]

POSITIONS = {
    "price": re.compile(rf"^\d{{{PRICE_DIGITS}}}#{ID_PATTERN}$"),
    "age": re.compile(rf"^\d{{{AGE_DIGITS}}}#{ID_PATTERN}$"),
    # Folded names hold no '#' and no character below a space (see fold()).
    "name": re.compile(rf"^[^#\x00-\x1f]{{0,400}}#{ID_PATTERN}$"),
}


def _scaled(value: float | Decimal) -> Decimal:
    return Decimal(str(value)) * 100


def price_sk(price: float | Decimal, pet_id: str) -> str:
    return f"{int(_scaled(price)):0{PRICE_DIGITS}d}#{pet_id}"


def age_sk(age: float | Decimal, pet_id: str) -> str:
    return f"{int(_scaled(age)):0{AGE_DIGITS}d}#{pet_id}"


def fold(text: str) -> str:
    """Text folded for search and ordering: case and accents folded, spaces collapsed, no '#' or controls."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        " " if char.isspace() else char
        for char in decomposed
        if char != "#" and not unicodedata.combining(char) and (char.isspace() or unicodedata.category(char)[0] != "C")
    )
    return " ".join(kept.split())


def name_sk(name: str, pet_id: str) -> str:
    return f"{fold(name)}#{pet_id}"


def status_shard(status: str, pet_id: str) -> str:
    return f"{status}#{int(pet_id[-1], 16) % STATUS_SHARDS}"


def status_partitions(status: str) -> tuple[str, ...]:
    return tuple(f"{status}#{shard}" for shard in range(STATUS_SHARDS))


def breed_key(breed: str) -> str:
    return breed.lower()


class Index(NamedTuple):
    name: str
    scope: Scope
    partition_attr: str
    sort_attr: str
    orders: Attr


INDEXES: dict[tuple[Scope, Attr], Index] = {
    (scope, attr): Index(f"By{scope.title()}{attr.title()}", scope, partition, f"{attr}_sk", attr)
    for scope, partition in (("type", "type"), ("breed", "breed_key"), ("status", "status_shard"))
    for attr in ("price", "age", "name")
}


def sort_of(order: SortOrder | None) -> tuple[Attr, bool]:
    """The attribute a result is ordered by and whether descending; no sort means by name, A to Z."""
    if order in (SortOrder.price_asc, SortOrder.price_desc):
        return "price", order is SortOrder.price_desc
    if order in (SortOrder.age_asc, SortOrder.age_desc):
        return "age", order is SortOrder.age_desc
    return "name", False


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


def numeric_key_range(attr: Attr, lo: int, hi: int) -> tuple[str, str]:
    digits = PRICE_DIGITS if attr == "price" else AGE_DIGITS
    return f"{lo:0{digits}d}", f"{hi:0{digits}d}#{TOP}"


def full_key_range() -> tuple[str, str]:
    return " ", TOP  # DynamoDB refuses an empty key value; every key starts above a space


def prefix_key_range(prefix: str) -> tuple[str, str]:
    return prefix, prefix + TOP


def after(low: str, high: str, position: str, descending: bool) -> tuple[str, str]:
    """Narrow [low, high] to the keys strictly beyond `position` in the walk's direction.

    No key holds a character below a space, so the smallest key above p is at least p + " ". Walking down
    is only done on the fixed-width numeric keys, where the largest key below p is at most p with its last
    character decremented (followed by anything).
    """
    if descending:
        return low, min(high, position[:-1] + chr(ord(position[-1]) - 1) + TOP)
    return max(low, position + " "), high


# -- reservations ----------------------------------------------------------------------------------------
# Reserved pets carry `reservation_shard` and `reserved_until` ("<expires_at>#<id>"), the keys of the sparse
# index `ByReservationExpiry`: the reservations in the order they lapse (ISO 8601 UTC times of one fixed
# format sort as they happen). Each holder has an item "#holder#<subject>" with the ids of the pets they
# hold, changed in the same transaction as the pets (no index keys, so in no index).
RESERVATION_SHARDS = 1
EXPIRY_INDEX = "ByReservationExpiry"
HOLDER_ID_PREFIX = "#holder#"


def reservation_shard(pet_id: str) -> str:
    return f"reserved#{int(pet_id[-1], 16) % RESERVATION_SHARDS}"


def reservation_partitions() -> tuple[str, ...]:
    return tuple(f"reserved#{shard}" for shard in range(RESERVATION_SHARDS))


def reserved_until(expires_at: str, pet_id: str) -> str:
    return f"{expires_at}#{pet_id}"


def lapsed_by(moment: str) -> str:
    """The upper bound (inclusive) of the `reserved_until` keys of reservations lapsed at `moment`."""
    return f"{moment}#{TOP}"


def holder_item_id(holder_id: str) -> str:
    return f"{HOLDER_ID_PREFIX}{holder_id}"
