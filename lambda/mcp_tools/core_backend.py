"""The tools bound to the core service in-process, as the caller: the deployed `/mcp` endpoint's backend.

No HTTP hop: each tool calls `PetService` / `QueryService` with the caller's `Principal`, so every rule of
the store (permissions, validation, concurrency, idempotency) holds exactly as behind the REST routes.
The caller is set per request in `CALLER` by the function's entry point, after it verified the token.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from petstore.errors import PetStoreError, ValidationFailed

from .backend import ToolFailure, error_text

if TYPE_CHECKING:  # pragma: no cover
    from petstore.api.container import Container
    from petstore.auth import Principal
    from petstore.models import MyReservations, Pet, PetCreate, PetListParams, PetPage, PetPatch, QueryRequest, QueryResult

CALLER: ContextVar[Principal | None] = ContextVar("petstore_mcp_caller", default=None)


def _failure(error: PetStoreError) -> ToolFailure:
    return ToolFailure(error_text(error.status, error.message, error.details.get("details")), error.status)


class CoreBackend:
    def __init__(self, container: Container) -> None:
        self._container = container

    @staticmethod
    def _caller() -> Principal | None:
        return CALLER.get()

    def may_write(self) -> bool:
        caller = self._caller()
        return caller is not None and caller.can_write

    def _run(self, call: Any, *args: Any) -> Any:
        try:
            return call(self._caller(), *args)
        except PetStoreError as error:
            raise _failure(error) from error
        except Exception as exc:  # as the REST adapter answers 500: logged here, no internals in the answer
            from petstore.observability import logger

            logger.exception("MCP tool failed")
            raise ToolFailure(error_text(500, "Something went wrong on our side."), 500) from exc

    def list_pets(self, params: PetListParams) -> PetPage:
        try:
            pet_filter = params.to_filter()
        except ValidationError as exc:
            raise _failure(ValidationFailed("The filter is not valid.", details=[
                {"field": ".".join(["query", *map(str, error["loc"])]), "message": error["msg"]} for error in exc.errors()
            ])) from exc
        listing = self._run(self._container.service.list_pets, pet_filter, params.page_size, params.cursor, params.q)
        return listing.page

    def get_pet(self, pet_id: str) -> Pet:
        return self._run(self._container.service.get_pet, pet_id)

    def query_pets(self, request: QueryRequest) -> QueryResult:
        return self._run(self._container.query_service.query, request)

    def create_pet(self, pet: PetCreate, idempotency_key: str | None) -> Pet:
        return self._run(self._container.service.create_pet, pet, idempotency_key)

    def update_pet(self, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet:
        return self._run(self._container.service.update_pet, pet_id, patch, expected_version)

    def delete_pet(self, pet_id: str, expected_version: int | None) -> None:
        self._run(self._container.service.delete_pet, pet_id, expected_version)

    def reserve_pet(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._run(self._container.reservations.reserve, pet_id, expected_version)

    def cancel_reservation(self, pet_id: str, expected_version: int | None) -> None:
        self._run(self._container.reservations.cancel, pet_id, expected_version)

    def confirm_adoption(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._run(self._container.reservations.adopt, pet_id, expected_version)

    def my_reservations(self) -> MyReservations:
        return self._run(self._container.reservations.mine)
