"""The store's counts: pets per (type, breed, status), kept exact on every write and read in one request.

They live in COUNT_SHARDS items of the pets table (ids "#counts#<n>"), one number attribute per
combination present, named "c" + JSON of [type, breed as spelled, status]. Every write adds its +1/-1
deltas to one shard, chosen at random, in the same transaction as the pet itself; a read fetches every
shard with one BatchGetItem and sums them. Shards keep concurrent writers from contending for one item
(each item takes about 1,000 writes a second, and transactions on one item conflict).

From them come: the question vocabulary (types and breeds present), the staff inventory, exact totals
for searches on type, breed and status, and the partition sizes the query planner chooses by.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .keys import STATUSES, breed_key

COUNT_SHARDS = 4
COUNTS_ID_PREFIX = "#counts#"
REVISION_ATTR = "revision"
Combo = tuple[str, str, str]  # (type, breed as spelled or "", status)


def counts_ids() -> list[str]:
    return [f"{COUNTS_ID_PREFIX}{shard}" for shard in range(COUNT_SHARDS)]


@functools.lru_cache(maxsize=4096)
def _combo_named(name: str) -> Combo:
    pet_type, breed, status = json.loads(name[1:])
    return (pet_type, breed, status)


def combo_attr(combo: Combo) -> str:
    return "c" + json.dumps(list(combo), separators=(",", ":"), ensure_ascii=False)


def combo_of(pet: Mapping[str, object]) -> Combo:
    return (str(pet["type"]), str(pet.get("breed") or ""), str(pet["status"]))


def deltas(before: Mapping[str, object] | None, after: Mapping[str, object] | None) -> dict[Combo, int]:
    """What a write changes in the counts: -1 for the pet as it was, +1 as it is (nothing when equal)."""
    changes: dict[Combo, int] = defaultdict(int)
    if before is not None:
        changes[combo_of(before)] -= 1
    if after is not None:
        changes[combo_of(after)] += 1
    return {combo: delta for combo, delta in changes.items() if delta}


class StoreCounts:
    __slots__ = ("combos", "revision")

    def __init__(self, combos: Mapping[Combo, int] | None = None, revision: int = 0) -> None:
        self.combos: Mapping[Combo, int] = combos or {}
        self.revision = revision

    @classmethod
    def from_items(cls, items: Iterable[Mapping[str, Mapping[str, str]]]) -> StoreCounts:
        combos: dict[Combo, int] = defaultdict(int)
        revision = 0
        for item in items:
            for name, value in item.items():
                if name == REVISION_ATTR:
                    revision += int(value["N"])
                elif name.startswith("c[") and "N" in value:
                    combos[_combo_named(name)] += int(value["N"])
        return cls({combo: n for combo, n in combos.items() if n > 0}, revision)

    def count(self, types: Iterable[str] | None = None, breed: str | None = None, status: str | None = None) -> int:
        wanted_types = set(types) if types is not None else None
        wanted_breed = breed_key(breed) if breed else None
        return sum(
            n for (pet_type, pet_breed, pet_status), n in self.combos.items()
            if (wanted_types is None or pet_type in wanted_types)
            and (wanted_breed is None or breed_key(pet_breed) == wanted_breed)
            and (status is None or pet_status == status)
        )

    @property
    def total(self) -> int:
        return sum(self.combos.values())

    def by_status(self) -> dict[str, int]:
        return {status: self.count(status=status) for status in STATUSES}

    def by_type(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for (pet_type, _, _), n in self.combos.items():
            totals[pet_type] += n
        return dict(sorted(totals.items()))

    def type_breed_counts(self) -> dict[tuple[str, str | None], int]:
        """Pets per (type, breed as spelled), for the question vocabulary."""
        pairs: dict[tuple[str, str | None], int] = defaultdict(int)
        for (pet_type, breed, _), n in self.combos.items():
            pairs[(pet_type, breed or None)] += n
        return dict(pairs)

    def breeds(self) -> dict[str, set[str]]:
        """Breed key -> the types it is stored under."""
        found: dict[str, set[str]] = defaultdict(set)
        for (pet_type, breed, _), _n in self.combos.items():
            if breed:
                found[breed_key(breed)].add(pet_type)
        return dict(found)
