"""The query planner: which index, partitions and key ranges answer a search, chosen by what narrows most.

A search is a conjunction of parts (type, breed, status, price range, age range, name/breed text, sex,
size, good-with). An index read ("source") guarantees some parts by its partition and key range; the
rest is a residual filter, evaluated by DynamoDB on the items it reads (they still count as read).

1. Scope: of the partitions the filter allows (its breed, its types, its status, or every status) take the
   one holding the fewest pets, as the store's counts say. A scope the counts say is empty reads nothing.
2. The walk: the scope's index ordered by the result's sort, restricted to the filter's range on that
   attribute (or to the name prefix when ordered by name), merged across partitions in order. It can
   stop as soon as the page is full and resume at any key, so it is always possible; with a selective
   residual filter it may read many items per pet found.
3. Probes, tried first: a range on another attribute than the sort (a price range with an age order, a
   name prefix with a price order) is read on its own index; when it is exhausted within its share of
   the budget its pets are sorted in memory and the answer is exact. Otherwise the walk takes over.

A result is ordered by price, age or (without a sort) name, then id: the same order whichever plan reads
it, so a cursor's position stays valid when the plan changes between pages.
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

from ..models import PetFilter
from .counts import StoreCounts
from .keys import (
    AGE_DIGITS,
    INDEXES,
    PRICE_DIGITS,
    STATUS_SHARDS,
    STATUSES,
    Attr,
    Index,
    Scope,
    breed_key,
    fold,
    full_key_range,
    inclusive_hundredths,
    numeric_key_range,
    prefix_key_range,
    sort_of,
    status_partitions,
)

MAX_TEXT_BREEDS = 8  # breeds a name/breed text may match and still be read as partitions of their own
PROBE_SHARE = 0.5  # of the budget, for probes


class Source(NamedTuple):
    """One index partition and key range, and the parts of the search every item in it satisfies."""

    index: Index
    partition: str
    low: str
    high: str
    guarantees: frozenset[str]
    weight: float  # expected pets in the partition (the counts), for sizing reads

    def describe(self) -> str:
        return f"{self.index.name}[{self.partition}]"


class Candidate(NamedTuple):
    kind: Literal["walk", "probe"]
    attr: Attr
    sources: tuple[Source, ...]
    why: str


class Search(NamedTuple):
    """A filter with the optional name/breed text, as the planner needs it."""

    pet_filter: PetFilter
    text: str | None = None  # folded
    text_breeds: frozenset[str] = frozenset()  # breed keys the text names


class Plan(NamedTuple):
    search: Search
    sort_attr: Attr
    descending: bool
    parts: frozenset[str]
    walk: Candidate | None  # None: nothing can match
    probes: tuple[Candidate, ...] = ()
    exact_total: int | None = None  # from the counts, when they answer the whole filter
    scope: str = ""
    selectivity: dict[str, float] | None = None  # per partition, residual status share

    def describe(self) -> dict[str, object]:
        return {
            "sort": f"{self.sort_attr} {'desc' if self.descending else 'asc'}",
            "scope": self.scope,
            "parts": sorted(self.parts),
            "probes": [f"{p.why}: " + ", ".join(s.describe() for s in p.sources) for p in self.probes],
            "walk": (f"{self.walk.why}: " + ", ".join(s.describe() for s in self.walk.sources)) if self.walk else "nothing to read",
            "exact_total": self.exact_total,
        }


def text_breeds(text: str, counts: StoreCounts) -> frozenset[str]:
    """Breeds whose name, or a word of it, starts with the (folded) text."""
    found = set()
    for key in counts.breeds():
        folded = fold(key)
        if folded.startswith(text) or any(word.startswith(text) for word in folded.split()):
            found.add(key)
    return frozenset(found)


def make_search(pet_filter: PetFilter, text: str | None, counts: StoreCounts) -> Search:
    folded = fold(text) if text else ""
    if not folded:
        return Search(pet_filter)
    breeds = text_breeds(folded, counts)
    stored = counts.breeds()
    if pet_filter.type:
        breeds = frozenset(b for b in breeds if stored.get(b, set()) & set(pet_filter.type))
    if pet_filter.breed:
        breeds = breeds & {breed_key(pet_filter.breed)}
    return Search(pet_filter, folded, breeds)


def parts_of(search: Search) -> frozenset[str]:
    f = search.pet_filter
    parts = set()
    if f.type:
        parts.add("type")
    if f.breed:
        parts.add("breed")
    if f.status is not None:
        parts.add("status")
    if f.min_price is not None or f.max_price is not None:
        parts.add("price")
    if f.min_age is not None or f.max_age is not None:
        parts.add("age")
    if search.text:
        parts.add("text")
    for name in ("sex", "size", "good_with_children", "good_with_dogs", "good_with_cats"):
        if getattr(f, name) is not None:
            parts.add(name)
    return frozenset(parts)


def numeric_range(f: PetFilter, attr: Literal["price", "age"]) -> tuple[int, int]:
    if attr == "price":
        return inclusive_hundredths(f.min_price, f.min_price_strict, f.max_price, f.max_price_strict, PRICE_DIGITS)
    return inclusive_hundredths(f.min_age, f.min_age_strict, f.max_age, f.max_age_strict, AGE_DIGITS)


class _Scope(NamedTuple):
    kind: str  # "breed", "type", "status" (a status), "all"
    index_scope: Scope
    partitions: tuple[tuple[str, float], ...]  # (partition, expected pets)
    guarantees: frozenset[str]
    size: int


def _scopes(search: Search, counts: StoreCounts) -> list[_Scope]:
    f = search.pet_filter
    scopes = []
    if f.breed:
        key = breed_key(f.breed)
        size = counts.count(breed=f.breed)
        guarantees = {"breed"} | ({"text"} if key in search.text_breeds else set())
        scopes.append(_Scope("breed", "breed", ((key, size),) if size else (), frozenset(guarantees), size))
    if f.type:
        sizes = [(t, counts.count(types=[t])) for t in f.type]
        live = tuple((t, float(n)) for t, n in sizes if n)
        scopes.append(_Scope("type", "type", live, frozenset({"type"}), sum(n for _, n in sizes)))
    statuses = [f.status.value] if f.status is not None else list(STATUSES)
    partitions = tuple(
        (partition, counts.count(status=status) / STATUS_SHARDS)
        for status in statuses if counts.count(status=status)
        for partition in status_partitions(status)
    )
    size = sum(counts.count(status=status) for status in statuses)
    scopes.append(_Scope("status" if f.status is not None else "all", "status", partitions,
                         frozenset({"status"}) if f.status is not None else frozenset(), size))
    return scopes


def plan(search: Search, counts: StoreCounts, budget: int) -> Plan:
    f = search.pet_filter
    sort_attr, descending = sort_of(f.sort)
    parts = parts_of(search)
    exact = counts.count(types=f.type, breed=f.breed, status=f.status.value if f.status else None) \
        if parts <= {"type", "breed", "status"} else None

    ranges = {attr: numeric_range(f, attr) for attr in ("price", "age") if attr in parts}
    scope = min(_scopes(search, counts), key=lambda s: s.size)  # stable: breed, type, status, all
    if scope.size == 0 or any(lo > hi for lo, hi in ranges.values()) or ("text" in parts and not search.text):
        return Plan(search, sort_attr, descending, parts, None, exact_total=0, scope=scope.kind)

    selectivity = {}
    if f.status is not None and scope.kind in ("type", "breed"):
        for partition, size in scope.partitions:
            part_counts = counts.count(types=[partition], status=f.status.value) if scope.kind == "type" \
                else counts.count(breed=partition, status=f.status.value)
            selectivity[partition] = part_counts / size if size else 1.0

    def key_range(attr: Attr) -> tuple[str, str, frozenset[str]]:
        if attr in ranges:
            lo, hi = ranges[attr]  # type: ignore[index]
            return (*numeric_key_range(attr, lo, hi), frozenset({attr}))
        if attr == "name" and "text" in parts and "text" not in scope.guarantees:
            return (*prefix_key_range(search.text or ""), frozenset({"text"}))
        return (*full_key_range(), frozenset())

    def sources_on(attr: Attr, with_text_breeds: bool) -> tuple[Source, ...]:
        low, high, by_range = key_range(attr)
        index = INDEXES[(scope.index_scope, attr)]
        found = [Source(index, partition, low, high, scope.guarantees | by_range, weight)
                 for partition, weight in scope.partitions]
        if with_text_breeds:
            # Pets of a breed the text names match whatever their name: their breed partitions join the
            # name-prefix ranges (a pet in both is read twice and returned once).
            breed_index = INDEXES[("breed", attr)]
            low, high, by_range = key_range(attr) if attr != "name" else (*full_key_range(), frozenset())
            for key in sorted(search.text_breeds):
                weight = float(counts.count(breed=key))
                guarantees = {"text"} | ({"breed"} if f.breed else set()) | by_range
                found.append(Source(breed_index, key, low, high, frozenset(guarantees), weight))
        return tuple(found)

    text_union = ("text" in parts and "text" not in scope.guarantees
                  and 0 < len(search.text_breeds) <= MAX_TEXT_BREEDS)
    text_prefix = "text" in parts and "text" not in scope.guarantees and (not search.text_breeds or text_union)

    if sort_attr == "name" and "text" in parts and "text" not in scope.guarantees and not text_prefix:
        # Too many breeds match the text to read them as partitions: the text becomes a residual filter.
        walk = Candidate("walk", "name", _without_text_range(sources_on("name", False)), "walk by name, text filtered")
    else:
        walk = Candidate("walk", sort_attr, sources_on(sort_attr, sort_attr == "name" and text_union),
                         f"walk {INDEXES[(scope.index_scope, sort_attr)].name} in order")

    probes = []
    for attr in ("price", "age"):
        if attr in ranges and attr != sort_attr:
            probes.append(Candidate("probe", attr, sources_on(attr, False), f"{attr} range first"))  # type: ignore[arg-type]
    if sort_attr != "name" and text_prefix:
        probes.append(Candidate("probe", "name", sources_on("name", text_union), "name prefix first"))
    if len(walk.sources) >= budget:
        probes = []
    return Plan(search, sort_attr, descending, parts, walk, tuple(probes), exact, scope.kind, selectivity)


def _without_text_range(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    low, high = full_key_range()
    return tuple(Source(s.index, s.partition, low, high, s.guarantees - {"text"}, s.weight) for s in sources)


def probe_budget(plan: Plan, budget: int) -> int:
    """Items each probe may read: a share of the budget, leaving the walk at least one read per partition."""
    if not plan.probes or plan.walk is None:
        return 0
    spare = budget - len(plan.walk.sources) - 1
    return max(0, min(math.floor(budget * PROBE_SHARE), spare) // len(plan.probes))
