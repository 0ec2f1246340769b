"""The pet store's rules, in one place: permissions, validation, pagination, concurrency, queries."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from . import cursors
from .auth import Principal, require_admin, require_reader
from .errors import BadRequest, NotFound
from .models import Pet, PetCreate, PetFilter, PetPage, PetPatch
from .store.ports import PetRepository


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CreateGuard(Protocol):
    """Runs a create at most once per idempotency key (and rejects the key reused with another body)."""

    def __call__(self, key: str, payload: dict[str, Any], create: Callable[[], dict[str, Any]]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Listing:
    page: PetPage
    items_read: int


class PetService:
    def __init__(
        self,
        pets: PetRepository,
        create_guard: CreateGuard | None = None,
        clock: Callable[[], str] = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._pets = pets
        self._guard = create_guard
        self._clock = clock
        self._new_id = new_id
        self._on_change: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every write (the query vocabulary listens, so a new breed is known at once)."""
        self._on_change.append(listener)

    def _changed(self) -> None:
        for listener in self._on_change:
            listener()

    # -- reads ------------------------------------------------------------------------------------

    def get_pet(self, principal: Principal | None, pet_id: str) -> Pet:
        require_reader(principal)
        pet = self._pets.get(pet_id.lower()) if _is_uuid(pet_id) else None
        if pet is None:
            raise NotFound(f"No pet with id {pet_id}.")
        return pet

    def list_pets(self, principal: Principal | None, pet_filter: PetFilter, page_size: int, cursor: str | None) -> Listing:
        require_reader(principal)
        position, returned = None, 0
        if cursor:
            decoded = cursors.decode(cursor)
            if decoded.pet_filter != pet_filter:
                raise BadRequest("The cursor belongs to another search: send the same filters as the first page.")
            position, returned = decoded.position, decoded.returned
        return self.search(pet_filter, page_size, position, returned)

    def search(self, pet_filter: PetFilter, page_size: int, position: str | None, returned: int, **cursor_extra: Any) -> Listing:
        """One page of the pets matching the filter, honouring its overall `limit`."""
        size = page_size if pet_filter.limit is None else min(page_size, pet_filter.limit - returned)
        if size <= 0:
            return Listing(PetPage(pets=[], next_cursor=None), 0)
        result = self._pets.search(pet_filter, size, position)
        returned += len(result.pets)
        more = result.next_position is not None and (pet_filter.limit is None or returned < pet_filter.limit)
        next_cursor = cursors.encode(pet_filter, result.next_position, returned, **cursor_extra) if more else None
        return Listing(PetPage(pets=result.pets, next_cursor=next_cursor), result.items_read)

    # -- writes -----------------------------------------------------------------------------------

    def use_lambda_context(self, context: Any) -> None:
        if self._guard is not None and hasattr(self._guard, "use_lambda_context"):
            self._guard.use_lambda_context(context)

    def create_pet(self, principal: Principal | None, data: PetCreate, idempotency_key: str | None = None) -> Pet:
        principal = require_admin(principal)

        def create() -> dict[str, Any]:
            now = self._clock()
            pet = Pet(id=self._new_id(), created_at=now, updated_at=now, version=1, **data.model_dump())
            self._pets.insert(pet)
            return pet.model_dump(mode="json")

        if idempotency_key is None or self._guard is None:
            pet = Pet.model_validate(create())
        else:
            if not 1 <= len(idempotency_key) <= 255:
                raise BadRequest("Idempotency-Key must be 1 to 255 characters.")
            scoped_key = f"{principal.subject}:{idempotency_key}"
            pet = Pet.model_validate(self._guard(scoped_key, data.model_dump(mode="json"), create))
        self._changed()
        return pet

    def update_pet(self, principal: Principal | None, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet:
        require_admin(principal)
        if not _is_uuid(pet_id):
            raise NotFound(f"No pet with id {pet_id}.")
        pet = self._pets.update(pet_id.lower(), patch.changes(), expected_version, self._clock())
        self._changed()
        return pet

    def delete_pet(self, principal: Principal | None, pet_id: str, expected_version: int | None = None) -> None:
        require_admin(principal)
        if not _is_uuid(pet_id):
            raise NotFound(f"No pet with id {pet_id}.")
        self._pets.delete(pet_id.lower(), expected_version)
        self._changed()


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False
