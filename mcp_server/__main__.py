"""`petstore-mcp`: the pet store's HTTP API as MCP tools, over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="petstore-mcp",
        description=(
            "Serve the PetStore API as MCP tools. Configuration from the environment: PETSTORE_API_URL "
            "(default http://127.0.0.1:3000) and one way to sign in: PETSTORE_TOKEN (a token used as given), "
            "PETSTORE_CLIENT_ID and PETSTORE_CLIENT_SECRET (an agent's client credentials; PETSTORE_SCOPES, "
            "PETSTORE_TOKEN_URL optional), or PETSTORE_USERNAME and PETSTORE_PASSWORD (a person, through Cognito)."
        ),
    )
    parser.add_argument("--transport", choices=("stdio", "streamable-http"), default="stdio",
                        help="stdio (default; the client starts this process) or streamable-http (serves /mcp)")
    parser.add_argument("--host", default="127.0.0.1", help="address for streamable-http (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port for streamable-http (default 8000)")
    parser.add_argument("--allow-write", action="store_true",
                        help="also offer create_pet, update_pet and delete_pet (the store still decides: admins group or write scope)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from .server import run  # imported after parsing, so --help answers at once

    try:
        run(args.transport, host=args.host, port=args.port, allow_write=args.allow_write)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
