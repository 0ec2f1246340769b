"""Assembles the MCP server: the tools, the `pet://{id}` resource template, and the transports."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal

from .api_client import PetStoreClient

if TYPE_CHECKING:  # pragma: no cover
    from mcp.server.mcpserver import MCPServer

Transport = Literal["stdio", "streamable-http"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

INSTRUCTIONS = """\
A pet store. Each pet has an id (UUID), name, type (a lowercase singular word: dog, cat, bird, ...), breed,
age (years; 0.5 is six months), price (a number in the store's currency), status (available, pending,
adopted) and version (incremented on every change).
- query_pets answers a question in plain words ("cheap dogs under $500"); list_pets takes exact filters and
  pages with next_cursor; get_pet reads one pet. The resource pet://{id} is the same pet as JSON.
- When the server runs with --allow-write: create_pet, update_pet and delete_pet, allowed only if the signed-in
  user is in the 'admins' group (otherwise 403). Pass expected_version to update or delete only an unchanged pet.
A failure comes back as a tool error with the API's HTTP status and message, e.g. "404 Not Found: ...".
"""


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("petstore")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "0"


def build_server(client: PetStoreClient | None = None, *, allow_write: bool = False) -> MCPServer:
    """The MCP server over `client` (default: from PETSTORE_API_URL / PETSTORE_USERNAME / PETSTORE_PASSWORD).

    Builds no connection: the client signs in on the first tool call.
    """
    from mcp.server.mcpserver import MCPServer

    from .tools import build_tools, pet_resource_reader

    client = client or PetStoreClient.from_env()
    server: MCPServer = MCPServer(
        name="petstore",
        title="PetStore",
        description="Pets for sale: list, search in plain words, and (with --allow-write) manage the inventory.",
        instructions=INSTRUCTIONS,
        version=_version(),
        tools=build_tools(client, allow_write=allow_write),
        log_level="WARNING",
    )
    server.resource(
        "pet://{id}",
        name="pet",
        title="A pet",
        description="One pet of the store as JSON (the same object get_pet returns), by its id.",
        mime_type="application/json",
    )(pet_resource_reader(client))
    return server


def run(transport: Transport = "stdio", *, host: str = "127.0.0.1", port: int = 8000, allow_write: bool = False) -> None:
    server = build_server(allow_write=allow_write)
    if transport == "stdio":
        server.run("stdio")
        return
    if host not in LOOPBACK_HOSTS:
        print(
            f"petstore-mcp: warning: listening on {host}, beyond this machine; anyone who can reach it acts as "
            "PETSTORE_USERNAME (the MCP endpoint has no authentication of its own).",
            file=sys.stderr,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"petstore-mcp: streamable HTTP on http://{shown}:{port}/mcp", file=sys.stderr, flush=True)
    server.run("streamable-http", host=host, port=port)
