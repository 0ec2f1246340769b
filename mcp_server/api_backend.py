"""The tools bound to the HTTP API through `PetStoreClient`: the backend of `petstore-mcp`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcp_tools.backend import ToolFailure
from petstore.models import MyReservations, Pet, PetPage, QueryResult

from .api_client import ApiError, PetStoreClient, PetStoreClientError

if TYPE_CHECKING:  # pragma: no cover
    from petstore.models import PetCreate, PetListParams, PetPatch, QueryRequest

M = TypeVar("M", bound=BaseModel)


class ApiBackend:
    """Each tool is one API call; the API's answer is checked against the core model before it is returned."""

    def __init__(self, client: PetStoreClient, *, allow_write: bool = False) -> None:
        self.client = client
        self.allow_write = allow_write

    def may_write(self) -> bool:
        return self.allow_write

    @staticmethod
    def _send(call: Any, *args: Any) -> Any:
        """One API call; its failures (a status, the API down, sign-in refused) as tool failures."""
        try:
            return call(*args)
        except ApiError as exc:
            raise ToolFailure(str(exc), exc.status) from exc
        except PetStoreClientError as exc:
            raise ToolFailure(str(exc)) from exc

    def _call(self, model: type[M], call: Any, *args: Any) -> M:
        data = self._send(call, *args)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ToolFailure(f"The pet store API answered with data that is not a valid {model.__name__}: "
                              f"{exc.error_count()} problem(s).") from exc

    def list_pets(self, params: PetListParams) -> PetPage:
        return self._call(PetPage, self.client.list_pets, params)

    def get_pet(self, pet_id: str) -> Pet:
        return self._call(Pet, self.client.get_pet, pet_id)

    def query_pets(self, request: QueryRequest) -> QueryResult:
        return self._call(QueryResult, self.client.query_pets, request)

    def create_pet(self, pet: PetCreate, idempotency_key: str | None) -> Pet:
        return self._call(Pet, self.client.create_pet, pet, idempotency_key)

    def update_pet(self, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet:
        return self._call(Pet, self.client.update_pet, pet_id, patch, expected_version)

    def delete_pet(self, pet_id: str, expected_version: int | None) -> None:
        self._send(self.client.delete_pet, pet_id, expected_version)

    def reserve_pet(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._call(Pet, self.client.reserve_pet, pet_id, expected_version)

    def cancel_reservation(self, pet_id: str, expected_version: int | None) -> None:
        self._send(self.client.cancel_reservation, pet_id, expected_version)

    def confirm_adoption(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._call(Pet, self.client.confirm_adoption, pet_id, expected_version)

    def my_reservations(self) -> MyReservations:
        return self._call(MyReservations, self.client.my_reservations)
