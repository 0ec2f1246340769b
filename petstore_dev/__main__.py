"""`petstore-dev`: the pet store on this machine, with no AWS account and no network."""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="petstore-dev",
        description="Run the pet store locally: the page, the API and emulated DynamoDB, Cognito and S3, in memory.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="port for the page and the API (default: 3000; 0 picks a free one)")
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="start with no sample pets")
    parser.add_argument("--quiet", action="store_true", help="no line per request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    from .stack import LocalStack, StackError

    stack = LocalStack(args.host, args.port, seed=args.seed, quiet=args.quiet)
    try:
        stack.start()
    except StackError as exc:
        print(f"petstore-dev: error: {exc}", file=sys.stderr, flush=True)
        return 1
    try:
        admin, user = stack.users["admin"], stack.users["user"]
        bedrock = (f"Bedrock model {stack.bedrock_model_id}" if stack.bedrock_model_id
                   else "keyword parser (no AWS credentials, Bedrock is not called)")
        lines = [
            "PetStore local stack",
            f"  URL:       {stack.url}",
            f"  API:       {stack.url}/pets  (docs: {stack.url}/openapi.json)",
            f"  Cognito:   {stack.cognito_endpoint}  (pool {stack.user_pool_id}, client {stack.client_id})",
            f"  Emulator:  {stack.moto_url}  (AWS APIs, loopback only: admin calls such as admin-create-user go here)",
            f"  Admin:     {admin.email} / {admin.password}",
            f"  User:      {user.email} / {user.password}",
            f"  Agent:     client id {stack.agent.client_id} / secret {stack.agent.client_secret}"
            f"  (scopes {' '.join(stack.agent.scopes)})",
            f"  MCP:       {stack.url}/mcp  with 'Authorization: Bearer <token>': a user's ID token, or an agent's",
            f"             access token from POST {stack.url}/oauth2/token (grant_type=client_credentials, the",
            "             client id and secret above as HTTP Basic); details in docs/MCP.md",
            f"  Inventory: {stack.seeded} sample pets ({stack.seeded_photos} with photos)" if args.seed
            else "  Inventory: empty (--no-seed)",
            f"  Photos:    bucket {stack.buckets['PHOTOS_BUCKET']}: upload forms to {stack.url}/photo-uploads, "
            f"served at {stack.url}/photos/",
            f"  Queries:   {bedrock}",
            "  Data lives in memory and is gone when this process stops.",
            *([f"  Faults:    DynamoDB {', '.join(sorted(stack.throttled_operations))} throttled (PETSTORE_DEV_FAULTS)"]
              if stack.throttled_operations else []),
            f"Serving on {stack.url} - ready (Ctrl+C to stop)",
        ]
        print("\n".join(lines), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        stack.stop()
    print("petstore-dev: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
