"""The pet store's rules, in one place: permissions, validation, pagination, concurrency, queries."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from . import cursors
from .auth import ADMIN_GROUP, Principal, require_admin, require_reader
from .clock import Clock, iso, utc_now
from .errors import BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed
from .idempotency import IdempotencyKeyReused
from .ids import is_pet_id, keyed_pet_id
from .models import Inventory, Pet, PetCreate, PetFilter, PetPage, PetPatch, PetStatus, SearchMeta
from .photos.rules import follow_rename
from .reads import Reads
from .reservations import Lapses, as_of, seen_by
from .store.ports import PetChanged, PetRepository

WRITE_ATTEMPTS = 5  # an unconditional change re-reads and retries when another writer got there first


class CreateGuard(Protocol):
    """Runs a create at most once per idempotency key (and rejects the key reused with another body)."""

    def __call__(self, key: str, payload: dict[str, Any], create: Callable[[], dict[str, Any]]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Listing:
    page: PetPage
    items_read: int

    @property
    def more_to_search(self) -> bool:
        return self.page.meta is not None and self.page.meta.more_to_search


class PetService:
    def __init__(
        self,
        pets: PetRepository,
        create_guard: CreateGuard | None = None,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        lapses: Lapses | None = None,
    ) -> None:
        self._pets = pets
        self._guard = create_guard
        self._clock = clock
        self._new_id = new_id
        # Reservations lapse by themselves: every read releases the lapsed ones first (see reservations.py).
        self._lapses = lapses or Lapses(pets, clock)
        self._on_change: list[Callable[[], None]] = []
        self._on_remove: list[Callable[[Pet], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every write (the query vocabulary listens, so a new breed is known at once)."""
        self._on_change.append(listener)

    def on_remove(self, listener: Callable[[Pet], None]) -> None:
        """Call `listener(pet)` after a pet is deleted (its photos' files go with it)."""
        self._on_remove.append(listener)

    def _changed(self) -> None:
        for listener in self._on_change:
            listener()

    # -- reads ------------------------------------------------------------------------------------

    def get_pet(self, principal: Principal | None, pet_id: str) -> Pet:
        require_reader(principal)
        pet = self._pets.get(pet_id.lower()) if is_pet_id(pet_id) else None
        if pet is None:
            raise NotFound(f"No pet with id {pet_id}.")
        return seen_by(self._lapses.release_if_lapsed(pet, self._clock()), principal)

    def list_pets(self, principal: Principal | None, pet_filter: PetFilter, page_size: int, cursor: str | None,
                  text: str | None = None) -> Listing:
        require_reader(principal)
        text = " ".join(text.split()) if text else None
        if cursor:
            decoded = cursors.decode(cursor)
            if decoded.pet_filter != pet_filter or (decoded.text or None) != text:
                raise BadRequest("The cursor belongs to another search: send the same filters as the first page.")
            return self.resume(decoded, page_size, viewer=principal)
        return self.search(pet_filter, page_size, None, 0, text=text, viewer=principal)

    def inventory(self, principal: Principal | None) -> Inventory:
        """Pets by status and by type, from the store's counts (a few items read, whatever the store's size)."""
        if not require_reader(principal).is_admin:
            raise Forbidden(f"Only members of the '{ADMIN_GROUP}' group may see the inventory.")
        reads = Reads()
        self._lapses.settle(reads)
        counts = self._pets.counts(reads)
        return Inventory(by_status=counts.by_status(), by_type=counts.by_type())

    def resume(self, cursor: cursors.Cursor, page_size: int, reads: Reads | None = None, *,
               viewer: Principal | None = None, **cursor_extra: Any) -> Listing:
        """The next page of the search a cursor came from."""
        carried = (cursor.total, cursor.total_capped) if cursor.total is not None else None
        return self.search(cursor.pet_filter, page_size, cursor.position, cursor.returned, text=cursor.text, reads=reads,
                           carried_total=carried, walk=cursor.walk, viewer=viewer, **cursor_extra)

    def settle(self, reads: Reads) -> None:
        """Release the reservations that lapsed, before a read looks at statuses or counts."""
        self._lapses.settle(reads)

    def search(self, pet_filter: PetFilter, page_size: int, position: str | None, returned: int, *,
               text: str | None = None, reads: Reads | None = None, carried_total: tuple[int, bool] | None = None,
               walk: bool = False, viewer: Principal | None = None, **cursor_extra: Any) -> Listing:
        """One page of the pets matching the filter (and text), within the request's read budget, as `viewer` sees
        them (a reservation's holder is shown to the holder and to staff only)."""
        reads = reads if reads is not None else Reads()
        if pet_filter.status is not None:
            # A lapsed reservation's pet must be in the available partition before that is searched. Without a
            # status filter the pet is found either way, and shown available as it is read (`_as_seen`).
            self._lapses.settle(reads)
        size = page_size if pet_filter.limit is None else min(page_size, pet_filter.limit - returned)
        if size <= 0:
            page = PetPage(pets=[], next_cursor=None, total=carried_total[0] if carried_total else None,
                           total_capped=bool(carried_total and carried_total[1]),
                           meta=SearchMeta(items_scanned=reads.used))
            return Listing(page, reads.used)
        result = self._pets.search(pet_filter, size, position, reads, text=text, returned_before=returned,
                                   count=carried_total is None, probe=not walk)
        total, capped = result.total, result.total_capped
        if (total is None or capped) and carried_total is not None:
            total, capped = carried_total
        if total is not None and pet_filter.limit is not None and total >= pet_filter.limit:
            total, capped = pet_filter.limit, False
        returned += len(result.pets)
        more = result.next_position is not None and (pet_filter.limit is None or returned < pet_filter.limit)
        next_cursor = cursors.encode(pet_filter, result.next_position, returned, text=text, total=total, total_capped=capped,
                                     walk=walk or result.probes_failed, **cursor_extra) if more and result.next_position else None
        meta = SearchMeta(items_scanned=result.items_read, more_to_search=result.more_to_search and more)
        page = PetPage(pets=self._as_seen(result.pets, pet_filter.status, viewer), next_cursor=next_cursor, total=total,
                       total_capped=capped, meta=meta)
        return Listing(page, result.items_read)

    def _as_seen(self, pets: list[Pet], status: PetStatus | None, viewer: Principal | None) -> list[Pet]:
        """Pets as they stand now, for `viewer`. A lapse not yet released (a backlog beyond what one read releases)
        makes a pet available: it leaves a search for another status."""
        now = self._clock()
        current = [as_of(pet, now) for pet in pets]
        return [seen_by(pet, viewer) for pet in current if status is None or pet.status is status]

    # -- writes -----------------------------------------------------------------------------------

    def use_lambda_context(self, context: Any) -> None:
        if self._guard is not None and hasattr(self._guard, "use_lambda_context"):
            self._guard.use_lambda_context(context)

    def create_pet(self, principal: Principal | None, data: PetCreate, idempotency_key: str | None = None) -> Pet:
        principal = require_admin(principal)

        def create(pet_id: str | None = None) -> dict[str, Any]:
            now = iso(self._clock())
            pet = Pet(id=pet_id or self._new_id(), created_at=now, updated_at=now, version=1, **data.model_dump())
            try:
                self._pets.insert(pet)
            except PetChanged:
                if pet_id is None:
                    raise
                return self._created_before(pet_id, data).model_dump(mode="json")
            return pet.model_dump(mode="json")

        if idempotency_key is None:
            pet = Pet.model_validate(create())
        else:
            if not 1 <= len(idempotency_key) <= 255:
                raise BadRequest("Idempotency-Key must be 1 to 255 characters.")
            scoped_key = f"{principal.subject}:{idempotency_key}"
            keyed_id = keyed_pet_id(scoped_key)
            if self._guard is None:
                pet = Pet.model_validate(create(keyed_id))
            else:
                pet = Pet.model_validate(self._guard(scoped_key, data.model_dump(mode="json"), lambda: create(keyed_id)))
        self._changed()
        return pet

    def _created_before(self, pet_id: str, data: PetCreate) -> Pet:
        """The pet an earlier attempt with this Idempotency-Key created (its record lost to a failure or expired):
        the same pet, unless it was made from another body and never changed since."""
        existing = self._pets.get(pet_id)
        if existing is None:
            raise Conflict("The pet this Idempotency-Key created is changing; retry shortly.", retry_after=1)  # deleted meanwhile
        fields = set(PetCreate.model_fields)
        if existing.version == 1 and existing.model_dump(include=fields) != data.model_dump(include=fields):
            raise IdempotencyKeyReused("This Idempotency-Key was already used with a different body; use a new key for a new pet.")
        return existing

    def update_pet(self, principal: Principal | None, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet:
        require_admin(principal)
        for _ in range(WRITE_ATTEMPTS):
            current = self._current(pet_id, expected_version)
            now = self._clock()
            shown = as_of(current, now)  # a lapsed reservation is gone: the patch applies to the pet as it stands
            data = patch.apply_to(shown)
            data.update(version=current.version + 1, updated_at=iso(now), photos=follow_rename(current, data))
            pet = Pet.model_validate(data)
            # A reservation stays while the pet stays pending (a staff change of price, say); any other status ends it.
            pet = pet.model_copy(update={"reservation": shown.reservation if pet.status is PetStatus.pending else None})
            try:
                self._pets.replace(current, pet)
            except PetChanged:
                continue  # re-read: _current refuses it if a version was expected, or applies the patch again
            self._changed()
            return pet
        raise Conflict("The pet is changing too often to update now; retry shortly.")

    def delete_pet(self, principal: Principal | None, pet_id: str, expected_version: int | None = None) -> None:
        require_admin(principal)
        for _ in range(WRITE_ATTEMPTS):
            current = self._current(pet_id, expected_version)
            try:
                self._pets.remove(current)
            except PetChanged:
                continue
            self._changed()
            for listener in self._on_remove:
                listener(current)
            return
        raise Conflict("The pet is changing too often to delete now; retry shortly.")

    def _current(self, pet_id: str, expected_version: int | None) -> Pet:
        """The pet as stored now; NotFound when absent, PreconditionFailed when not at the expected version."""
        current = self._pets.get(pet_id.lower()) if is_pet_id(pet_id) else None
        if current is None:
            raise NotFound(f"No pet with id {pet_id}.")
        if expected_version is not None and current.version != expected_version:
            raise PreconditionFailed(
                f"Pet {current.id} is at version {current.version}, not {expected_version}: it changed meanwhile.",
                current_version=current.version,
            )
        return current
