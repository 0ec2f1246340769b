"""Assembles `petstore-mcp`: the shared tool declarations bound to the HTTP API, and the transports."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Literal

from .api_client import PetStoreClient

if TYPE_CHECKING:  # pragma: no cover
    from mcp_tools.declarations import PetStoreServer

Transport = Literal["stdio", "streamable-http"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def build_server(client: PetStoreClient | None = None, *, allow_write: bool = False) -> PetStoreServer:
    """The MCP server over `client` (default: from the PETSTORE_* environment variables).

    Builds no connection: the client signs in on the first tool call. The write tools are offered only with
    `allow_write`; the API still decides whether the signed-in caller may write.
    """
    from mcp_tools.declarations import build_server as declare

    client = client or PetStoreClient.from_env()
    if client.is_agent:  # an access token: the REST routes take ID tokens only, the store's /mcp takes it
        from .mcp_backend import McpBackend

        backend: Any = McpBackend(client, allow_write=allow_write)
    else:
        from .api_backend import ApiBackend

        backend = ApiBackend(client, allow_write=allow_write)
    return declare(
        backend,
        write_tools=allow_write,
        description="Pets for sale: list, search in plain words, reserve, and (with --allow-write) manage the inventory.",
    )


def run(transport: Transport = "stdio", *, host: str = "127.0.0.1", port: int = 8000, allow_write: bool = False) -> None:
    server = build_server(allow_write=allow_write)
    if transport == "stdio":
        server.run("stdio")
        return
    if host not in LOOPBACK_HOSTS:
        print(
            f"petstore-mcp: warning: listening on {host}, beyond this machine; anyone who can reach it acts as the "
            "configured caller (this endpoint has no authentication of its own; the store's /mcp has).",
            file=sys.stderr,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"petstore-mcp: streamable HTTP on http://{shown}:{port}/mcp", file=sys.stderr, flush=True)
    server.run("streamable-http", host=host, port=port)
