"""What the tools need from a backend, and the one way its failures read ("404 Not Found: No pet with id ...")."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from petstore.models import MyReservations, Pet, PetCreate, PetListParams, PetPage, PetPatch, QueryRequest, QueryResult


class ToolFailure(Exception):
    """A call the store refused or could not answer; the text reaches the agent as a tool error."""

    def __init__(self, text: str, status: int | None = None) -> None:
        super().__init__(text)
        self.status = status


class Backend(Protocol):
    """The store's operations as the tools call them. Each raises `ToolFailure` when the store says no."""

    def may_write(self) -> bool: ...

    def list_pets(self, params: PetListParams) -> PetPage: ...

    def get_pet(self, pet_id: str) -> Pet: ...

    def query_pets(self, request: QueryRequest) -> QueryResult: ...

    def create_pet(self, pet: PetCreate, idempotency_key: str | None) -> Pet: ...

    def update_pet(self, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet: ...

    def delete_pet(self, pet_id: str, expected_version: int | None) -> None: ...

    def reserve_pet(self, pet_id: str, expected_version: int | None) -> Pet: ...

    def cancel_reservation(self, pet_id: str, expected_version: int | None) -> None: ...

    def confirm_adoption(self, pet_id: str, expected_version: int | None) -> Pet: ...

    def my_reservations(self) -> MyReservations: ...


def error_text(status: int, message: str, details: Any = None) -> str:
    """'403 Forbidden: Only members of ...', with up to five field problems: '(price: must be ...)'."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    text = f"{status} {phrase}: {message}"
    if isinstance(details, list) and details:
        parts = []
        for item in details[:5]:
            if isinstance(item, dict) and item.get("message"):
                field = item.get("field")
                parts.append(f"{field}: {item['message']}" if field else str(item["message"]))
        if parts:
            text += " (" + "; ".join(parts) + ")"
    return text
