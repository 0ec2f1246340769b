"""The MCP Inspector's CLI (npm `@modelcontextprotocol/inspector`, pinned in package.json) against the local
stack's `/mcp` over HTTP with an agent's bearer token: it lists the tools and calls them.

`npm ci` installs it into node_modules/ on first use. Without npm the test is skipped with a note, except
under CI (`CI=true`), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.test_mcp_remote import agent_token

ROOT = Path(__file__).resolve().parent.parent
INSPECTOR = ROOT / "node_modules" / ".bin" / "mcp-inspector"


@pytest.fixture(scope="module")
def inspector() -> Path:
    if not INSPECTOR.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI") == "true":
                pytest.fail("npm is needed for the MCP Inspector test (apt-get install npm)")
            pytest.skip("npm is not installed: the MCP Inspector CLI test needs it (apt-get install npm)")
        install = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT,
                                 capture_output=True, text=True, timeout=600)
        assert install.returncode == 0, install.stdout + install.stderr
    return INSPECTOR


def run_cli(inspector: Path, url: str, token: str, *args: str, ok: bool = True) -> Any:
    env = {**os.environ, "MCP_AUTO_OPEN_ENABLED": "false", "NO_COLOR": "1"}
    done = subprocess.run([str(inspector), "--cli", url, "--transport", "http", "--header", f"Authorization: Bearer {token}",
                           *args], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return json.loads(done.stdout if ok else done.stderr)


def test_the_inspector_lists_and_calls_the_tools_over_http(inspector: Path, stack: Any) -> None:
    url = f"{stack.url}/mcp"
    writer, reader = agent_token(stack), agent_token(stack, "petstore/read")

    listed = run_cli(inspector, url, writer, "--method", "tools/list")
    everyone = {"list_pets", "get_pet", "query_pets", "my_reservations", "reserve_pet", "cancel_reservation"}
    assert {tool["name"] for tool in listed["tools"]} == everyone | {"create_pet", "update_pet", "delete_pet", "confirm_adoption"}
    assert {tool["name"] for tool in run_cli(inspector, url, reader, "--method", "tools/list")["tools"]} == everyone

    from tests.stack_fixture import sign_in

    user = sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"]
    page = run_cli(inspector, url, reader, "--method", "tools/call", "--tool-name", "list_pets",
                   "--tool-arg", "page_size=2", "--tool-arg", 'type=["dog"]', "--tool-arg", "sort=price_asc")
    expected = requests.get(f"{stack.url}/pets", params={"page_size": 2, "type": "dog", "sort": "price_asc"},
                            headers={"Authorization": user}, timeout=10).json()
    assert page["isError"] is False and page["structuredContent"] == expected

    pet_id = expected["pets"][0]["id"]
    got = run_cli(inspector, url, reader, "--method", "tools/call", "--tool-name", "get_pet", "--tool-arg", f"id={pet_id}")
    assert got["structuredContent"]["id"] == pet_id

    created = run_cli(inspector, url, writer, "--method", "tools/call", "--tool-name", "create_pet", "--tool-arg",
                      "name=Inspected", "--tool-arg", "type=cat", "--tool-arg", "age=1", "--tool-arg", "price=10")
    new_id = created["structuredContent"]["id"]
    # A reader is not offered delete_pet, so the Inspector will not call it; the writer removes the pet.
    hidden = run_cli(inspector, url, reader, "--method", "tools/call", "--tool-name", "delete_pet", "--tool-arg", f"id={new_id}", ok=False)
    assert hidden["error"]["code"] == "tool_not_found"
    deleted = run_cli(inspector, url, writer, "--method", "tools/call", "--tool-name", "delete_pet", "--tool-arg", f"id={new_id}")
    assert deleted["structuredContent"] == {"deleted": new_id}
