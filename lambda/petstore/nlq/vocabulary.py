"""What the store holds, as the parser needs it: the pet types and each breed's type."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field


class FrozenMap(Mapping[str, str]):
    """An immutable, hashable str -> str mapping (so a Vocabulary can key an lru_cache)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        data = dict(items.items() if isinstance(items, Mapping) else items)
        self._data = data
        self._hash = hash(frozenset(data.items()))

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Vocabulary:
    """Types are lowercase singular words; `breeds` maps a breed (as stored) to its type.

    A breed stored under several types (say "Mixed" for dogs and cats) maps to the first of them
    alphabetically and is listed in `shared_breeds`: naming it sets the breed but implies no type.
    """

    types: frozenset[str] = frozenset()
    breeds: Mapping[str, str] = field(default_factory=FrozenMap)
    shared_breeds: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", frozenset(t.strip().lower() for t in self.types if t and t.strip()))
        if not isinstance(self.breeds, FrozenMap):
            object.__setattr__(self, "breeds", FrozenMap(self.breeds))
        object.__setattr__(self, "shared_breeds", frozenset(self.shared_breeds))

    @classmethod
    def from_pets(cls, pairs: Iterable[tuple[str, str | None]]) -> Vocabulary:
        return cls.from_counts(Counter(pairs))

    @classmethod
    def from_counts(cls, counts: Mapping[tuple[str, str | None], int]) -> Vocabulary:
        """From the number of pets per (type, breed as spelled)."""
        types: set[str] = set()
        spellings: dict[str, Counter[str]] = defaultdict(Counter)  # casefolded breed -> spellings seen
        breed_types: dict[str, set[str]] = defaultdict(set)
        for (pet_type, breed), count in counts.items():
            if count <= 0 or not pet_type or not pet_type.strip():
                continue
            pet_type = pet_type.strip().lower()
            types.add(pet_type)
            if breed and breed.strip():
                name = " ".join(breed.split())
                spellings[name.casefold()][name] += count
                breed_types[name.casefold()].add(pet_type)
        breeds: dict[str, str] = {}
        shared: set[str] = set()
        for key, seen in spellings.items():
            # The most common spelling wins; ties go to the alphabetically first, so the result is stable.
            spelling = min(seen, key=lambda s: (-seen[s], s))
            owners = sorted(breed_types[key])
            breeds[spelling] = owners[0]
            if len(owners) > 1:
                shared.add(spelling)
        return cls(frozenset(types), FrozenMap(sorted(breeds.items())), frozenset(shared))

    def fingerprint(self) -> str:
        canonical = json.dumps(
            {"types": sorted(self.types), "breeds": sorted(self.breeds.items()), "shared": sorted(self.shared_breeds)},
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
