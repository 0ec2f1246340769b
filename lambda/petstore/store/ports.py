"""The small interfaces the service depends on; DynamoDB implements them, tests may fake them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..models import Pet, PetFilter


@dataclass(frozen=True)
class SearchPage:
    pets: list[Pet]
    next_position: str | None
    """Opaque store position after the last pet returned; None when nothing follows."""
    items_read: int
    """Items DynamoDB read (ScannedCount summed over calls)."""


class PetRepository(Protocol):
    def get(self, pet_id: str) -> Pet | None: ...

    def insert(self, pet: Pet) -> None: ...

    def update(self, pet_id: str, changes: dict[str, Any], expected_version: int | None, updated_at: str) -> Pet:
        """Apply changes atomically; NotFound when absent, PreconditionFailed when the version differs."""
        ...

    def delete(self, pet_id: str, expected_version: int | None) -> None: ...

    def search(self, pet_filter: PetFilter, page_size: int, after: str | None) -> SearchPage: ...

    def type_breed_pairs(self) -> list[tuple[str, str | None]]:
        """Every (type, breed) present, for the query vocabulary."""
        ...


class SessionStore(Protocol):
    def load(self, session_id: str, owner: str) -> PetFilter | None: ...

    def save(self, session_id: str, owner: str, pet_filter: PetFilter) -> None: ...


class RateCounter(Protocol):
    def increment(self, key: str, expires_at: int) -> int:
        """Add one to the counter `key` (created at zero, forgotten after `expires_at`, epoch seconds); the new count."""
        ...
