"""Measure `petstore-mcp` start-up as an agent sees it: spawn to the first tool result, over stdio.

    python -m mcp_server.measure [--runs 5] [--api-url URL]

Each run starts `petstore-mcp` through the SDK's stdio client, connects, calls `list_pets` and stops the
clock at its result (the sign-in through Cognito included). Against PETSTORE_API_URL with PETSTORE_USERNAME /
PETSTORE_PASSWORD when given; otherwise it starts the local stack (`petstore-dev`) for the measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


async def _one_run(command: str, env: dict[str, str]) -> float:
    from mcp import Client, StdioServerParameters

    started = time.perf_counter()
    async with Client(StdioServerParameters(command=command, env=env)) as client:
        result = await client.call_tool("list_pets", {"page_size": 5})
        elapsed = time.perf_counter() - started
    if result.is_error:
        raise SystemExit(f"list_pets failed: {result.content[0].text if result.content else result}")
    return elapsed


def measure(runs: int, api_url: str, username: str, password: str) -> list[float]:
    import anyio

    command = str(Path(sys.executable).with_name("petstore-mcp"))
    env = {"PETSTORE_API_URL": api_url, "PETSTORE_USERNAME": username, "PETSTORE_PASSWORD": password}
    return [anyio.run(_one_run, command, env) for _ in range(runs)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mcp_server.measure", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--api-url", default=os.environ.get("PETSTORE_API_URL"),
                        help="a running API (with PETSTORE_USERNAME and PETSTORE_PASSWORD set); default: a stack of its own")
    args = parser.parse_args(argv)

    stack = None
    if args.api_url:
        username, password = os.environ.get("PETSTORE_USERNAME"), os.environ.get("PETSTORE_PASSWORD")
        if not (username and password):
            parser.error("with --api-url or PETSTORE_API_URL, set PETSTORE_USERNAME and PETSTORE_PASSWORD too "
                         "(or unset PETSTORE_API_URL to measure against a stack of its own)")
        url = args.api_url
    else:
        from petstore_dev.stack import StackProcess

        stack = StackProcess(port=0).start()
        url, username, password = stack.url, stack.user.email, stack.user.password
    try:
        times = measure(args.runs, url, username, password)
    finally:
        if stack is not None:
            stack.stop()
    print("spawn to first list_pets result: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"median {statistics.median(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
