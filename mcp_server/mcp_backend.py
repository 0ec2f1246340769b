"""The tools bound to the API's own `/mcp`: the backend of `petstore-mcp` signed in as an agent.

The REST routes take people's ID tokens only (API Gateway's Cognito authorizer); an agent's access token
is taken at `/mcp`, where the store runs the same tools as the caller. So an agent's `petstore-mcp`
forwards each call there with the SDK's streamable-HTTP client, and hands back the store's result (or its
tool error) unchanged. The token comes from `PetStoreClient` (client credentials or `PETSTORE_TOKEN`),
renewed once when `/mcp` answers 401.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcp_tools.backend import ToolFailure
from petstore.models import MyReservations, Pet, PetPage, QueryResult

from .api_client import PetStoreClient, PetStoreClientError, _proxies

if TYPE_CHECKING:  # pragma: no cover
    from petstore.models import PetCreate, PetListParams, PetPatch, QueryRequest

M = TypeVar("M", bound=BaseModel)


class _Unauthorized(Exception):
    pass


class McpBackend:
    def __init__(self, client: PetStoreClient, *, allow_write: bool = False) -> None:
        self.client = client
        self.allow_write = allow_write

    def may_write(self) -> bool:
        return self.allow_write

    async def _remote(self, token: str, name: str, arguments: dict[str, Any]) -> Any:
        import httpx2
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        url = self.client.api().text.rstrip("/") + "/mcp"
        # Loopback (the local stack) never goes through a proxy from the environment.
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30.0,
                                      trust_env=_proxies(url) is None) as http:
            try:
                async with Client(streamable_http_client(url, http_client=http)) as session:
                    return await session.call_tool(name, arguments)
            except Exception as exc:  # noqa: BLE001 - the SDK wraps transport failures in groups
                if _status(exc) == 401:
                    raise _Unauthorized from exc
                raise

    def _call(self, model: type[M] | None, name: str, arguments: dict[str, Any]) -> Any:
        import anyio

        try:
            token = self.client.bearer()
            try:
                result = anyio.run(self._remote, token, name, arguments)
            except _Unauthorized:
                result = anyio.run(self._remote, self.client.bearer(force=True), name, arguments)
        except PetStoreClientError as exc:
            raise ToolFailure(str(exc)) from exc
        except _Unauthorized as exc:
            raise ToolFailure("401 Unauthorized: the store's /mcp refused this agent's token.", 401) from exc
        except Exception as exc:  # noqa: BLE001 - no answer from /mcp
            raise ToolFailure(f"The pet store's MCP endpoint at {self.client.shown_url}/mcp did not answer: "
                              f"{type(exc).__name__}.") from exc
        if result.is_error:
            text = "\n".join(getattr(block, "text", "") for block in result.content)
            status = int(text[:3]) if text[:3].isdigit() else None
            raise ToolFailure(text, status)
        if model is None:
            return None
        try:
            return model.model_validate(result.structured_content)
        except ValidationError as exc:
            raise ToolFailure(f"The store's /mcp answered with data that is not a valid {model.__name__}.") from exc

    def list_pets(self, params: PetListParams) -> PetPage:
        return self._call(PetPage, "list_pets", params.model_dump(mode="json", exclude_none=True))

    def get_pet(self, pet_id: str) -> Pet:
        return self._call(Pet, "get_pet", {"id": pet_id})

    def query_pets(self, request: QueryRequest) -> QueryResult:
        return self._call(QueryResult, "query_pets", request.model_dump(mode="json", exclude_none=True))

    def create_pet(self, pet: PetCreate, idempotency_key: str | None) -> Pet:
        import uuid

        # A key of our own makes the forwarded create safe to retry, as the REST client's is.
        return self._call(Pet, "create_pet", {**pet.model_dump(mode="json"), "idempotency_key": idempotency_key or str(uuid.uuid4())})

    def update_pet(self, pet_id: str, patch: PetPatch, expected_version: int | None) -> Pet:
        extra = {"expected_version": expected_version} if expected_version is not None else {}
        return self._call(Pet, "update_pet", {"id": pet_id, **patch.changes(), **extra})

    def delete_pet(self, pet_id: str, expected_version: int | None) -> None:
        extra = {"expected_version": expected_version} if expected_version is not None else {}
        self._call(None, "delete_pet", {"id": pet_id, **extra})

    def reserve_pet(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._call(Pet, "reserve_pet", _pet_action(pet_id, expected_version))

    def cancel_reservation(self, pet_id: str, expected_version: int | None) -> None:
        self._call(None, "cancel_reservation", _pet_action(pet_id, expected_version))

    def confirm_adoption(self, pet_id: str, expected_version: int | None) -> Pet:
        return self._call(Pet, "confirm_adoption", _pet_action(pet_id, expected_version))

    def my_reservations(self) -> MyReservations:
        return self._call(MyReservations, "my_reservations", {})


def _pet_action(pet_id: str, expected_version: int | None) -> dict[str, Any]:
    return {"id": pet_id, **({"expected_version": expected_version} if expected_version is not None else {})}


def _status(exc: BaseException) -> int | None:
    """The HTTP status inside an SDK transport failure (possibly nested in exception groups)."""
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return int(response.status_code)
    for inner in (*getattr(exc, "exceptions", ()), exc.__cause__, exc.__context__):
        if isinstance(inner, BaseException) and inner is not exc:
            found = _status(inner)
            if found:
                return found
    return None
