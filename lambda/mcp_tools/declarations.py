"""The tools and the `pet://{id}` resource, declared once; a backend (`backend.Backend`) does the work.

Argument and result schemas come from the core's pydantic models (`petstore.models`): every tool's
argument model is the core model itself (or is assembled from its fields), so a field's type, range and
description are defined once. The tool function receives the validated model and hands it to the backend.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, TextContent, Tool as MCPTool, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, create_model, model_validator

from petstore.models import MyReservations, Pet, PetCreate, PetListParams, PetPage, PetPatch, QueryRequest, QueryResult

from .backend import Backend, ToolFailure

READ_TOOLS = ("list_pets", "get_pet", "query_pets", "my_reservations")
SHOPPER_TOOLS = ("reserve_pet", "cancel_reservation")  # every caller: a shopper's own reservations
WRITE_TOOLS = ("create_pet", "update_pet", "delete_pet", "confirm_adoption")

INSTRUCTIONS = """\
A pet store. Each pet has an id (UUID), name, type (a lowercase singular word: dog, cat, bird, ...), breed,
age (years; 0.5 is six months), price (a number in the store's currency), status (available, pending,
adopted) and version (incremented on every change).
- query_pets answers a question in plain words ("cheap dogs under $500"); list_pets takes exact filters and
  pages with next_cursor; get_pet reads one pet. The resource pet://{id} is the same pet as JSON.
- reserve_pet holds an available pet for the caller (it turns pending until the reservation lapses, by
  itself, at reservation.expires_at); cancel_reservation ends the caller's own reservation (callers allowed
  to change pets may release anyone's); my_reservations lists the caller's. A pet that is not available
  can't be reserved (409).
- create_pet, update_pet, delete_pet and confirm_adoption are offered to callers allowed to change pets
  (people in the 'admins' group, agents whose token carries the write scope). Pass expected_version to
  change only an unchanged pet, and an idempotency_key to create_pet to make a retried create safe.
A failure comes back as a tool error with the store's HTTP status and message, e.g. "404 Not Found: ...".
"""

PetId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description=f"{Pet.model_fields['id'].description} Take it from list_pets or query_pets.",
        examples=["5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21"],
    ),
]
ExpectedVersion = Annotated[
    int | None,
    Field(
        default=None,
        ge=1,
        description=(
            "Optional. The pet's `version` as you last read it; the change is applied only if the pet still "
            "has that version, otherwise the call fails with 412 and nothing changes."
        ),
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Field(
        default=None,
        min_length=1,
        max_length=255,
        description=(
            "Optional. Any unique string (a UUID) naming this create: calling again with the same key and the same "
            "pet returns the pet created the first time instead of adding another; the same key with another pet "
            "fails with 422."
        ),
    ),
]

# Words for fields the core models leave undescribed (the models stay the one source of the fields).
_FILTER_HINTS = {
    "status": "Only pets with this status: available, pending or adopted.",
    "sort": "Order: price_asc (cheapest first), price_desc (dearest first), age_asc (youngest first), age_desc (oldest first).",
}
_QUERY_HINTS = {"page_size": "Pets per page, 1-100 (default 20)."}
_PET_HINTS = {"status": "available (for sale), pending (adoption under way) or adopted."}


class ToolArguments(ArgModelBase):
    """Base of the argument models: the tool function receives the validated model as `args`. An argument the
    tool does not know is an error, never ignored ("expectedVersion" for expected_version must not delete anyway)."""

    model_config = ConfigDict(extra="forbid")

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"args": self}


class ListPetsArguments(ToolArguments, PetListParams):
    """Filters, order and page of list_pets (the query string of GET /pets)."""


class GetPetArguments(ToolArguments):
    """Which pet to read."""

    id: PetId


class QueryPetsArguments(ToolArguments, QueryRequest):
    """A question in plain words (the body of POST /pets/query)."""


class CreatePetArguments(ToolArguments, PetCreate):
    """The new pet (the body of POST /pets) and an optional idempotency key (its Idempotency-Key header)."""

    idempotency_key: IdempotencyKey = None

    @property
    def pet(self) -> PetCreate:
        return PetCreate.model_validate(self.model_dump(include=set(PetCreate.model_fields)))


class _UpdateArguments(ToolArguments):
    model_config = ConfigDict(extra="forbid")

    _patch: PetPatch | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _valid_patch(self) -> _UpdateArguments:
        changes = {name: getattr(self, name) for name in self.model_fields_set & set(PetPatch.model_fields)}
        try:
            self._patch = PetPatch.model_validate(changes)
        except ValidationError as exc:
            raise ValueError("; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors())) from exc
        return self

    @property
    def patch(self) -> PetPatch:
        assert self._patch is not None
        return self._patch


UpdatePetArguments = create_model(
    "UpdatePetArguments",
    __base__=_UpdateArguments,
    __doc__="Which pet, the fields to change (the body of PATCH /pets/{id}) and an optional expected version.",
    id=(PetId, ...),
    **{name: (field.annotation, field) for name, field in PetPatch.model_fields.items()},
    expected_version=(ExpectedVersion, None),
)


class DeletePetArguments(ToolArguments):
    """Which pet to remove."""

    id: PetId
    expected_version: ExpectedVersion = None


class DeletedPet(BaseModel):
    """What delete_pet removed."""

    deleted: str = Field(description="Id of the pet that was removed.")


class PetAction(ToolArguments):
    """Which pet, and optionally the version it must still have."""

    id: PetId
    expected_version: ExpectedVersion = None


class NoArguments(ToolArguments):
    """This tool takes no arguments."""


class CancelledReservation(BaseModel):
    """Whose reservation cancel_reservation ended."""

    cancelled: str = Field(description="Id of the pet whose reservation ended; the pet is available again.")


def _error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def _tool(
    call: Callable[[Any], Any],
    *,
    name: str,
    title: str,
    description: str,
    arguments: type[ToolArguments],
    output: type[BaseModel],
    annotations: ToolAnnotations,
    hints: dict[str, str] | None = None,
) -> Tool:
    def run(args: Any) -> Any:
        try:
            return call(args)
        except ToolFailure as exc:  # the store refused, is unreachable, or would not sign us in: a tool error
            return _error(str(exc))

    parameters = arguments.model_json_schema(by_alias=True)
    for field, schema in parameters.get("properties", {}).items():
        if "description" not in schema and field in (hints or {}):
            schema["description"] = hints[field]
    return Tool(
        fn=run,
        name=name,
        title=title,
        description=description,
        parameters=parameters,
        fn_metadata=FuncMetadata(arg_model=arguments, output_model=output),
        is_async=False,  # the backends block (HTTP, DynamoDB): the SDK runs each call on a worker thread
        annotations=annotations.model_copy(update={"title": title}),
    )


_READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


def build_tools(backend: Backend, *, write_tools: bool = True) -> list[Tool]:
    """The read tools, and with `write_tools` the write tools, bound to `backend`."""
    tools = [
        _tool(
            lambda args: backend.list_pets(args),  # a PetListParams
            name="list_pets",
            title="List pets",
            description=(
                "List the pets in the store, filtered and sorted, one page at a time. Every filter is optional; "
                "filters combine with AND and ranges are inclusive. Prices are plain numbers in the store's "
                "currency (450, 99.99); ages are in years (0.5 is six months). `type` takes lowercase singular "
                "words and may name several (['dog', 'cat']); `breed` matches case-insensitively; `q` finds names or "
                "breeds by their start. Without `sort`, pets come by name. When the answer's `next_cursor` is not null, "
                "call again with `cursor` set to it and the same filters for the next page; when `meta.more_to_search` "
                "is true, the store stopped reading before the page was full, so keep looking the same way. `total` "
                "says how many match (at least that many when `total_capped`). "
                'Example: {"type": ["dog"], "max_price": 500, "sort": "price_asc", "page_size": 5}.'
            ),
            arguments=ListPetsArguments,
            output=PetPage,
            annotations=_READ,
            hints=_FILTER_HINTS,
        ),
        _tool(
            lambda args: backend.get_pet(args.id),
            name="get_pet",
            title="Get a pet",
            description=(
                "Read one pet by its id. Returns the pet with its current `version` (pass it to update_pet or "
                'delete_pet as `expected_version` to change it safely). An unknown id fails with 404. Example: {"id": '
                '"5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21"}.'
            ),
            arguments=GetPetArguments,
            output=Pet,
            annotations=_READ,
        ),
        _tool(
            lambda args: backend.query_pets(args),  # a QueryRequest
            name="query_pets",
            title="Ask for pets in plain words",
            description=(
                "Find pets from a question in plain words, such as 'cheap dogs under $500, youngest first', 'the 3 "
                "most expensive cats' or 'golden retrievers younger than 2 years'. The store turns the text into one "
                "structured filter (types, breed, price and age ranges, order, a count), applies it and returns the "
                "pets, the `filters` it applied and `source` ('llm' or 'keyword'). English is understood, and the core "
                "words also in Spanish, French and German. To refine a previous question ('what about cats?'), pass "
                "the `session_id` from its answer; 'start over' begins afresh; `meta.carried` lists what was kept. "
                "Words the store did not understand come back in `meta.unrecognised` (with `meta.suggestions`: ask "
                "again with one); a question whose subject was not understood answers no pets. A question that names "
                "no status looks at available pets. More pets: send the same `query` with `next_cursor` as `cursor` "
                "(also when `meta.more_to_search` says the store stopped reading early: keep looking). "
                "Prefer list_pets when you already know the exact filter. "
                'Example: {"query": "two cats under 300 dollars"}.'
            ),
            arguments=QueryPetsArguments,
            output=QueryResult,
            hints=_QUERY_HINTS,
            annotations=_READ.model_copy(update={"idempotent_hint": False}),  # a session_id query refines the session
        ),
    ]
    tools += reservation_tools(backend, write_tools=write_tools)
    if not write_tools:
        return tools

    def delete(args: DeletePetArguments) -> DeletedPet:
        backend.delete_pet(args.id, args.expected_version)
        return DeletedPet(deleted=args.id)

    tools += [
        _tool(
            lambda args: backend.create_pet(args.pet, args.idempotency_key),
            name="create_pet",
            title="Add a pet",
            description=(
                "Add a pet to the store (only for callers allowed to change pets; others get 403). The store assigns "
                "the id, timestamps and version 1, and returns the new pet. `price` is a number in the store's "
                "currency, 0 to 1,000,000, at most 2 decimals; `age` is in years, 0 to 100 (0.5 is six months); "
                "`type` is a lowercase singular word; `status` defaults to 'available'. Calling it twice adds two "
                "pets unless both calls carry the same `idempotency_key`. Example: "
                '{"name": "Rex", "type": "dog", "breed": "Beagle", "age": 2, "price": 450}.'
            ),
            arguments=CreatePetArguments,
            output=Pet,
            hints=_PET_HINTS,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False),
        ),
        _tool(
            lambda args: backend.update_pet(args.id, args.patch, args.expected_version),
            name="update_pet",
            title="Change a pet",
            description=(
                "Change some fields of a pet (only for callers allowed to change pets; others get 403). Give the pet's "
                "`id` and only the fields to change; the others keep their value, and `breed: null` clears the breed. "
                "Pass `expected_version` (the `version` you read) to change it only if nobody else did since: a "
                "mismatch fails with 412. Returns the pet as changed, with its new version. Example: "
                '{"id": "5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21", "price": 399.99, "status": "pending", "expected_version": 3}.'
            ),
            arguments=UpdatePetArguments,
            output=Pet,
            hints=_PET_HINTS,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False),
        ),
        _tool(
            delete,
            name="delete_pet",
            title="Remove a pet",
            description=(
                "Remove a pet from the store for good (only for callers allowed to change pets; others get 403). "
                "Returns {\"deleted\": id}. An unknown id fails with 404. Optional `expected_version` as in update_pet. "
                'Example: {"id": "5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21"}.'
            ),
            arguments=DeletePetArguments,
            output=DeletedPet,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False),
        ),
    ]
    return tools


def reservation_tools(backend: Backend, *, write_tools: bool = True) -> list[Tool]:
    """Reserving for every caller (their own reservations) and, with `write_tools`, confirming an adoption."""

    def cancel(args: PetAction) -> CancelledReservation:
        backend.cancel_reservation(args.id, args.expected_version)
        return CancelledReservation(cancelled=args.id)

    tools = [
        _tool(
            lambda args: backend.reserve_pet(args.id, args.expected_version),
            name="reserve_pet",
            title="Reserve a pet",
            description=(
                "Hold an available pet for the caller: it turns `pending`, and `reservation` says until when "
                "(`expires_at`); then it lapses by itself and the pet is available again, unless the adoption is "
                "confirmed first. Calling it again for a pet the caller already holds returns the same reservation. "
                "A pet that is not available (reserved by someone else, on hold, or adopted) fails with 409, and so "
                "does a shopper who already holds the most reservations one may. Optional `expected_version` as in "
                'update_pet. Example: {"id": "5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21"}.'
            ),
            arguments=PetAction,
            output=Pet,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False),
        ),
        _tool(
            cancel,
            name="cancel_reservation",
            title="Cancel a reservation",
            description=(
                "End a reservation: the pet is available again. The holder may cancel their own; callers allowed to "
                "change pets may release anyone's; anyone else gets 403. A pet with no reservation fails with 404. "
                'Returns {"cancelled": id}. Example: {"id": "5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21"}.'
            ),
            arguments=PetAction,
            output=CancelledReservation,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False),
        ),
        _tool(
            lambda args: backend.my_reservations(),
            name="my_reservations",
            title="My reservations",
            description="The pets the caller holds, the reservation that lapses first first (`reservation.expires_at`).",
            arguments=NoArguments,
            output=MyReservations,
            annotations=_READ,
        ),
    ]
    if write_tools:
        tools.append(_tool(
            lambda args: backend.confirm_adoption(args.id, args.expected_version),
            name="confirm_adoption",
            title="Confirm an adoption",
            description=(
                "Mark a pet adopted (only for callers allowed to change pets; others get 403): its reservation, if "
                "any, ends; usually the pet a shopper reserved (get_pet shows who holds it), also an available one. "
                "Calling it again for an adopted pet returns it unchanged. Optional `expected_version` as in "
                'update_pet. Example: {"id": "5f0c2a9e-3b7d-4c1e-9a57-2f1f8c6d4b21", "expected_version": 4}.'
            ),
            arguments=PetAction,
            output=Pet,
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False),
        ))
    return tools


def pet_resource_reader(backend: Backend) -> Callable[[str], str]:
    """The function behind the `pet://{id}` resource template: the pet as JSON text."""

    def read_pet(id: str) -> str:  # noqa: A002 - the template variable's name
        try:
            pet = backend.get_pet(id)
        except ToolFailure as exc:
            if exc.status == 404:
                raise ResourceNotFoundError(str(exc)) from exc
            raise ResourceError(str(exc)) from exc
        return json.dumps(pet.model_dump(mode="json"))

    return read_pet


class PetStoreServer(MCPServer):
    """Lists the write tools only to a caller the backend says may write (the store refuses the others anyway)."""

    def __init__(self, backend: Backend, **settings: Any) -> None:
        super().__init__(**settings)
        self.backend = backend

    async def list_tools(self) -> list[MCPTool]:
        tools = await super().list_tools()
        if self.backend.may_write():
            return tools
        return [tool for tool in tools if tool.name not in WRITE_TOOLS]

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        """As the SDK's, with arguments that don't validate said on one line: each field and what is wrong."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                raise
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}" for error in cause.errors()
            )
            raise ToolError(f"Error executing tool {name}: invalid arguments: {problems}") from cause


def _version() -> str:
    try:
        return version("petstore")
    except PackageNotFoundError:  # deployed as plain files, not as a distribution
        return "1"


def build_server(backend: Backend, *, write_tools: bool = True, description: str | None = None,
                 instructions: str = INSTRUCTIONS) -> PetStoreServer:
    """The MCP server: the tools and `pet://{id}` bound to `backend`. Makes no connection."""
    server = PetStoreServer(
        backend,
        name="petstore",
        title="PetStore",
        description=description or "Pets for sale: list, search in plain words, reserve, and (for staff and writer agents) manage "
        "the inventory and confirm adoptions.",
        instructions=instructions,
        version=_version(),
        tools=build_tools(backend, write_tools=write_tools),
        log_level="WARNING",
    )
    server.resource(
        "pet://{id}",
        name="pet",
        title="A pet",
        description="One pet of the store as JSON (the same object get_pet returns), by its id.",
        mime_type="application/json",
    )(pet_resource_reader(backend))
    return server
