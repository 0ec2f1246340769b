"""The small interfaces the service depends on; DynamoDB implements them, tests may fake them."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from ..models import Pet, PetFilter
from ..reads import Reads
from .counts import StoreCounts


class PetChanged(Exception):
    """A conditional write found the pet at another version than the one it was computed from (or gone)."""


class PhotoNotAdded(Exception):
    """A photo was not recorded on its pet: `reason` is "missing" (no such pet), "full" (it has the most photos
    allowed) or "present" (this photo is recorded already)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SearchPage(NamedTuple):
    pets: list[Pet]
    next_position: str | None
    """Opaque store position where the next page starts; None when nothing follows."""
    items_read: int
    """Items DynamoDB read for the request so far (ScannedCount summed over calls, and the counts)."""
    total: int | None = None
    """Pets matching in all (before the position too), or a lower bound when `total_capped`; None if unknown."""
    total_capped: bool = False
    more_to_search: bool = False
    """The read budget ran out before the page was full."""
    answered_by: str = ""
    probes_failed: bool = False
    """Narrower ranges were tried first and did not fit the budget: later pages may walk at once."""

    def with_total(self, total: int | None, capped: bool) -> SearchPage:
        return self._replace(total=total, total_capped=capped)


class HolderLimitReached(Exception):
    """A reservation would give its holder more pets than the limit the write was made with."""


class DueReservations(NamedTuple):
    ids: list[str]
    """Pets whose reservation has lapsed (at most the limit asked for), the earliest first."""
    next_expiry: str | None
    """When the earliest reservation still running lapses (UTC ISO 8601); None when none runs."""
    more: bool = False
    """More reservations lapsed than the limit."""


class PetRepository(Protocol):
    def get(self, pet_id: str) -> Pet | None: ...

    def insert(self, pet: Pet) -> None: ...

    def replace(self, current: Pet, new: Pet, holder_limit: int | None = None) -> None:
        """Write `new` if the stored pet is still at `current.version`; PetChanged otherwise. When the reservation
        changes hands and `holder_limit` is given, HolderLimitReached if the new holder already holds that many."""
        ...

    def remove(self, current: Pet) -> None:
        """Delete the pet if it is still at `current.version`; PetChanged otherwise."""
        ...

    def add_photo(self, pet_id: str, photo: dict[str, object], max_photos: int, now: str) -> Pet:
        """Append a photo ({"id", "alt", "width", "height"}) to the pet in one conditional write (a new version);
        PhotoNotAdded when the pet is gone, has `max_photos` already, or has this photo."""
        ...

    def counts(self, reads: Reads) -> StoreCounts:
        """The store's counts (types, breeds, statuses), read once per request."""
        ...

    def reservations_due(self, moment: str, limit: int, reads: Reads) -> DueReservations:
        """The reservations lapsed at `moment` (UTC ISO 8601), from an index of reservations by expiry."""
        ...

    def held_by(self, holder_id: str, limit: int, reads: Reads) -> list[Pet]:
        """Up to `limit` pets `holder_id` holds (from the holder's own record, read by key), soonest to lapse first."""
        ...

    def search(self, pet_filter: PetFilter, page_size: int, after_position: str | None, reads: Reads, *,
               text: str | None = None, returned_before: int = 0, count: bool = True, probe: bool = True) -> SearchPage: ...


class SessionStore(Protocol):
    def load(self, session_id: str, owner: str) -> PetFilter | None: ...

    def save(self, session_id: str, owner: str, pet_filter: PetFilter) -> None: ...


class RateCounter(Protocol):
    def increment(self, key: str, expires_at: int) -> int:
        """Add one to the counter `key` (created at zero, forgotten after `expires_at`, epoch seconds); the new count."""
        ...


class StoredObject(NamedTuple):
    size: int
    content_type: str
    metadata: dict[str, str]


class PhotoStorage(Protocol):
    """Where photo files live (S3): upload forms, reading uploads, publishing checked photos, removing them."""

    def upload_form(self, key: str, content_type: str, metadata: dict[str, str], max_bytes: int,
                    expires_in: int) -> tuple[str, dict[str, str]]:
        """(url, fields) of a presigned POST that stores one file of this type and at most `max_bytes` at `key`."""
        ...

    def head(self, key: str) -> StoredObject | None: ...

    def read(self, key: str) -> bytes: ...

    def publish(self, source: str, target: str, content_type: str, cache_control: str) -> None:
        """Copy a checked upload to where it is served, with the type it really has."""
        ...

    def delete(self, keys: list[str]) -> None: ...

    def delete_under(self, prefix: str) -> int:
        """Delete every object whose key starts with `prefix`; how many there were."""
        ...
