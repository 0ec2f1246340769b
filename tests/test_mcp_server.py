"""The MCP server (`petstore-mcp`): its tools, schemas and errors, against the local stack over real HTTP.

Most tests use the SDK's in-memory client on a server built in this process; the stdio and streamable-HTTP
tests start `petstore-mcp` the way an agent's client does. The API client's retry and token rules are
checked against a small scripted HTTP server (no stack needed).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import pytest
import requests

from mcp_server.api_client import ApiError, ApiUnavailable, PetStoreClient, SignInError
from mcp_server.server import build_server


ADMIN = "admin@example.com"
USER = "user@example.com"
READ_TOOLS = {"list_pets", "get_pet", "query_pets", "my_reservations"}
SHOPPER_TOOLS = {"reserve_pet", "cancel_reservation"}  # offered to every caller, with or without --allow-write
OFFERED = READ_TOOLS | SHOPPER_TOOLS
WRITE_TOOLS = {"create_pet", "update_pet", "delete_pet", "confirm_adoption"}
ROOT = Path(__file__).resolve().parents[1]


def in_thread(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test on its own event loop in a fresh thread.

    Other tests of the session (Playwright's sync API) leave an event loop running on the main thread,
    where a second loop cannot start.
    """

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        failure: list[BaseException] = []

        def target() -> None:
            try:
                anyio.run(functools.partial(test, *args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
                failure.append(exc)

        thread = threading.Thread(target=target, name=f"test-{test.__name__}")
        thread.start()
        thread.join()
        if failure:
            raise failure[0]

    return run


# ---- helpers ---------------------------------------------------------------------------------------------


def _password(stack: Any) -> str:
    return stack.admin.password  # both demo users share it (PETSTORE_DEMO_PASSWORD, default PetStore-demo-1)


def _token(stack: Any, email: str) -> str:
    from tests.stack_fixture import sign_in

    token = sign_in(stack.url, email, _password(stack))
    if isinstance(token, dict):  # tolerate a helper that returns Cognito's AuthenticationResult
        token = token.get("IdToken") or token.get("id_token")
    return str(token)


class Api:
    """The HTTP API called directly, to compare with what the tools return."""

    def __init__(self, stack: Any, email: str = ADMIN) -> None:
        self.url = stack.url.rstrip("/")
        self.headers = {"Authorization": _token(stack, email)}

    def get(self, path: str, **params: Any) -> Any:
        response = requests.get(self.url + path, params=params, headers=self.headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, body: Any) -> Any:
        response = requests.post(self.url + path, json=body, headers=self.headers, timeout=30)
        assert response.status_code in (200, 201), response.text
        return response.json()


def _client(stack: Any, email: str = ADMIN, **kwargs: Any) -> PetStoreClient:
    return PetStoreClient(stack.url, email, _password(stack), **kwargs)


def _server(stack: Any, email: str = ADMIN, *, allow_write: bool = False) -> Any:
    return build_server(_client(stack, email), allow_write=allow_write)


def _text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def _ok(result: Any) -> Any:
    assert not result.is_error, _text(result)
    assert result.structured_content is not None
    # The text block carries the same data, for clients that do not read structured content.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mcp_command() -> str:
    found = Path(sys.executable).with_name("petstore-mcp")
    return str(found) if found.exists() else (shutil.which("petstore-mcp") or "petstore-mcp")


def _new_pet(**overrides: Any) -> dict[str, Any]:
    pet = {"name": f"Mcp-{uuid.uuid4().hex[:8]}", "type": "hamster", "breed": "Syrian", "age": 1.5, "price": 35.5}
    pet.update(overrides)
    return pet


# ---- listing and schemas -----------------------------------------------------------------------------------


@in_thread
async def test_read_only_server_lists_only_read_tools_with_schemas_and_annotations(stack: Any) -> None:
    from mcp import Client

    async with Client(_server(stack)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        templates = (await client.list_resource_templates()).resource_templates

    assert set(tools) == OFFERED
    for name, tool in tools.items():
        assert tool.description and tool.title
        assert tool.input_schema["type"] == "object" and (tool.input_schema["properties"] or name == "my_reservations")
        assert tool.output_schema and tool.output_schema["type"] == "object"
        assert tool.annotations.read_only_hint is (name in READ_TOOLS)
        assert tool.annotations.open_world_hint is False
    assert tools["reserve_pet"].annotations.idempotent_hint is True and not tools["reserve_pet"].annotations.destructive_hint
    assert tools["cancel_reservation"].annotations.destructive_hint is True
    assert tools["reserve_pet"].input_schema["required"] == ["id"]
    assert set(tools["cancel_reservation"].output_schema["properties"]) == {"cancelled"}
    assert set(tools["my_reservations"].output_schema["properties"]) == {"pets"}
    # Inputs are the core models' fields, with their descriptions and ranges.
    list_props = tools["list_pets"].input_schema["properties"]
    from petstore.models import PetListParams, QueryRequest

    assert set(list_props) == set(PetListParams.model_fields)
    assert set(tools["query_pets"].input_schema["properties"]) == set(QueryRequest.model_fields)
    assert tools["get_pet"].input_schema["required"] == ["id"]
    assert "years" in json.dumps(list_props["min_age"]) and list_props["page_size"]["maximum"] == 100
    assert all("description" in schema for schema in list_props.values())
    assert tools["list_pets"].input_schema.get("additionalProperties") is False
    # Outputs are Pet, PetPage and QueryResult.
    assert set(tools["get_pet"].output_schema["properties"]) >= {"id", "name", "type", "price", "version"}
    assert set(tools["list_pets"].output_schema["properties"]) == {"pets", "next_cursor", "total", "total_capped", "meta"}
    assert {"filters", "source", "session_id", "meta"} <= set(tools["query_pets"].output_schema["properties"])
    assert [template.uri_template for template in templates] == ["pet://{id}"]


@in_thread
async def test_allow_write_adds_write_tools_with_fitting_annotations(stack: Any) -> None:
    from mcp import Client

    async with Client(_server(stack, allow_write=True)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    assert set(tools) == OFFERED | WRITE_TOOLS
    for name in WRITE_TOOLS:
        tool = tools[name]
        assert tool.input_schema["properties"] and tool.output_schema
        assert tool.annotations.read_only_hint is False
        assert tool.annotations.open_world_hint is False
    assert tools["create_pet"].annotations.destructive_hint is False
    assert tools["create_pet"].annotations.idempotent_hint is False
    assert tools["update_pet"].annotations.destructive_hint is True
    assert tools["delete_pet"].annotations.destructive_hint is True
    assert tools["delete_pet"].annotations.idempotent_hint is True
    from petstore.models import PetCreate, PetPatch

    assert set(tools["create_pet"].input_schema["properties"]) == {*PetCreate.model_fields, "idempotency_key"}
    assert set(tools["create_pet"].input_schema["required"]) == {"name", "type", "age", "price"}
    assert set(tools["update_pet"].input_schema["properties"]) == {"id", "expected_version", *PetPatch.model_fields}
    assert tools["update_pet"].input_schema["required"] == ["id"]
    assert set(tools["delete_pet"].output_schema["properties"]) == {"deleted"}
    assert tools["confirm_adoption"].annotations.destructive_hint is True
    assert tools["confirm_adoption"].annotations.idempotent_hint is True


# ---- reads: the same answers as the API ----------------------------------------------------------------------


@in_thread
async def test_list_pets_returns_what_the_api_returns_page_by_page(stack: Any) -> None:
    from mcp import Client

    api = Api(stack)
    async with Client(_server(stack)) as client:
        everything = _ok(await client.call_tool("list_pets", {}))
        assert everything == api.get("/pets")
        assert everything["pets"], "the local stack seeds a sample inventory"

        args = {"sort": "price_asc", "page_size": 2, "max_price": 1_000_000}
        first = _ok(await client.call_tool("list_pets", args))
        assert first == api.get("/pets", **args)
        assert len(first["pets"]) <= 2
        if first["next_cursor"]:
            second = _ok(await client.call_tool("list_pets", {**args, "cursor": first["next_cursor"]}))
            assert second == api.get("/pets", **args, cursor=first["next_cursor"])
            assert second["pets"][0]["price"] >= first["pets"][-1]["price"]

        kinds = sorted({pet["type"] for pet in everything["pets"]})[:2]
        filtered = _ok(await client.call_tool("list_pets", {"type": kinds, "sort": "age_desc"}))
        assert filtered == api.get("/pets", type=kinds, sort="age_desc")
        assert {pet["type"] for pet in filtered["pets"]} <= set(kinds)


@in_thread
async def test_get_pet_and_the_pet_resource_return_what_the_api_returns(stack: Any) -> None:
    from mcp import Client

    api = Api(stack, USER)
    pet = api.get("/pets", page_size=1)["pets"][0]
    async with Client(_server(stack, USER)) as client:
        assert _ok(await client.call_tool("get_pet", {"id": pet["id"]})) == api.get(f"/pets/{pet['id']}")
        resource = await client.read_resource(f"pet://{pet['id']}")
    (contents,) = resource.contents
    assert contents.mime_type == "application/json"
    assert json.loads(contents.text) == api.get(f"/pets/{pet['id']}")


@in_thread
async def test_query_pets_returns_what_the_api_returns(stack: Any) -> None:
    from mcp import Client

    api = Api(stack, USER)
    request = {"query": "cheapest dogs under $2,000", "page_size": 5}
    async with Client(_server(stack, USER)) as client:
        got = _ok(await client.call_tool("query_pets", {**request, "session_id": "mcp-a"}))
        refined = _ok(await client.call_tool("query_pets", {"query": "what about cats?", "session_id": "mcp-a"}))
    expected = api.post("/pets/query", {**request, "session_id": "mcp-b"})

    volatile = {"session_id", "meta"}
    assert {k: v for k, v in got.items() if k not in volatile} == {k: v for k, v in expected.items() if k not in volatile}
    assert got["session_id"] == "mcp-a"
    assert got["meta"]["items_scanned"] == expected["meta"]["items_scanned"]
    assert got["filters"]["type"] == ["dog"] and got["filters"]["sort"] == "price_asc"
    assert all(pet["type"] == "dog" and pet["price"] < 2000 for pet in got["pets"])
    # The session carries the price bound over to the next question.
    assert refined["filters"]["type"] == ["cat"] and refined["filters"]["max_price"] == got["filters"]["max_price"]


# ---- writes ---------------------------------------------------------------------------------------------------


@in_thread
async def test_admin_creates_updates_and_deletes_a_pet(stack: Any) -> None:
    from mcp import Client

    api = Api(stack)
    async with Client(_server(stack, ADMIN, allow_write=True)) as client:
        created = _ok(await client.call_tool("create_pet", _new_pet()))
        assert created == api.get(f"/pets/{created['id']}")
        assert created["version"] == 1 and created["status"] == "available"

        updated = _ok(await client.call_tool(
            "update_pet", {"id": created["id"], "price": 42, "breed": None, "expected_version": 1}))
        assert updated == api.get(f"/pets/{created['id']}")
        assert updated["price"] == 42 and updated["breed"] is None and updated["version"] == 2
        assert updated["name"] == created["name"]  # untouched fields keep their value

        stale = await client.call_tool("update_pet", {"id": created["id"], "price": 43, "expected_version": 1})
        assert stale.is_error and _text(stale).startswith("412 Precondition Failed: ")

        deleted = _ok(await client.call_tool("delete_pet", {"id": created["id"]}))
        assert deleted == {"deleted": created["id"]}
        gone = await client.call_tool("get_pet", {"id": created["id"]})
        assert gone.is_error and _text(gone).startswith("404 Not Found: ")


# ---- errors -----------------------------------------------------------------------------------------------------


@in_thread
async def test_a_non_admin_write_is_a_403_tool_error(stack: Any) -> None:
    from mcp import Client

    async with Client(_server(stack, USER, allow_write=True)) as client:
        result = await client.call_tool("create_pet", _new_pet())
        pet_id = Api(stack, USER).get("/pets", page_size=1)["pets"][0]["id"]
        patch = await client.call_tool("update_pet", {"id": pet_id, "price": 1})
        delete = await client.call_tool("delete_pet", {"id": pet_id})
    for answer in (result, patch, delete):
        assert answer.is_error and answer.structured_content is None
        assert _text(answer) == "403 Forbidden: Only members of the 'admins' group may change pets."


@in_thread
async def test_an_unknown_id_is_a_404_tool_error(stack: Any) -> None:
    from mcp import Client
    from mcp.shared.exceptions import MCPError

    async with Client(_server(stack, USER)) as client:
        result = await client.call_tool("get_pet", {"id": "no-such-pet"})
        assert result.is_error and result.structured_content is None
        assert _text(result).startswith("404 Not Found: ")
        # An id that is not a plain path segment still reaches the API as one.
        odd = await client.call_tool("get_pet", {"id": "../pets?x=1"})
        assert odd.is_error and _text(odd).startswith("404 Not Found: ")
        with pytest.raises(MCPError, match="404"):
            await client.read_resource("pet://no-such-pet")


@pytest.mark.parametrize(
    ("tool", "arguments", "words"),
    [
        ("list_pets", {"min_price": -5}, "min_price"),
        ("list_pets", {"sort": "cheapest"}, "sort"),
        ("list_pets", {"page_size": 500}, "page_size"),
        ("list_pets", {"colour": "brown"}, "colour"),
        ("get_pet", {}, "id"),
        ("query_pets", {"query": ""}, "query"),
        ("create_pet", {"name": "Rex", "type": "dog", "age": 2}, "price"),
        ("create_pet", _new_pet(price=12.345), "2 decimal"),
        ("create_pet", _new_pet(age="two"), "age"),
        ("update_pet", {"id": "x"}, "at least one field"),
        ("update_pet", {"id": "x", "name": None}, "name cannot be null"),
        ("delete_pet", {"id": "x", "expected_version": 0}, "expected_version"),
        # an argument the tool does not know is refused, never ignored
        ("delete_pet", {"id": "x", "expectedVersion": 1}, "expectedVersion"),
        ("reserve_pet", {"id": "x", "dry_run": True}, "dry_run"),
        ("get_pet", {"id": "x", "fields": "name"}, "fields"),
        ("my_reservations", {"all": True}, "all"),
    ],
)
@in_thread
async def test_a_bad_argument_is_a_validation_tool_error(stack: Any, tool: str, arguments: dict[str, Any], words: str) -> None:
    from mcp import Client

    async with Client(_server(stack, ADMIN, allow_write=True)) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error and result.structured_content is None
    assert "invalid arguments" in _text(result) and words in _text(result)
    assert "\n" not in _text(result), "one line: each field and what is wrong"


@in_thread
async def test_the_api_filter_rules_still_hold(stack: Any) -> None:
    from mcp import Client

    async with Client(_server(stack, USER)) as client:
        result = await client.call_tool("list_pets", {"min_price": 500, "max_price": 100})
    assert result.is_error and _text(result).startswith("422 Unprocessable Entity: ")


@in_thread
async def test_the_api_down_is_a_tool_error_saying_so() -> None:
    from mcp import Client

    url = f"http://127.0.0.1:{_free_port()}"
    server = build_server(PetStoreClient(url, USER, "whatever", backoff=0.01))
    async with Client(server) as client:
        assert {tool.name for tool in (await client.list_tools()).tools} == OFFERED  # starts without the API
        result = await client.call_tool("list_pets", {})
    assert result.is_error and result.structured_content is None
    assert _text(result) == (f"The pet store API at {url} is unreachable (connection failed). "
                             "Check that it is running and that PETSTORE_API_URL points at it.")


@in_thread
async def test_a_wrong_password_or_no_credentials_is_a_tool_error(stack: Any) -> None:
    from mcp import Client

    async with Client(build_server(PetStoreClient(stack.url, USER, "not-the-password"))) as client:
        wrong = await client.call_tool("get_pet", {"id": "x"})
    async with Client(build_server(PetStoreClient(stack.url))) as client:
        missing = await client.call_tool("get_pet", {"id": "x"})
    assert wrong.is_error and _text(wrong).startswith(f"Cognito refused the sign-in as {USER}: NotAuthorizedException")
    assert missing.is_error and "PETSTORE_USERNAME and PETSTORE_PASSWORD" in _text(missing)


# ---- the API client's token handling against the real Cognito emulator -------------------------------------------


def test_the_client_renews_its_token_before_expiry_and_after_a_401(stack: Any) -> None:
    client = _client(stack, USER)
    flows: list[str] = []
    original = client.session.post

    def recording_post(url: str, **kwargs: Any) -> Any:
        flows.append(kwargs["json"]["AuthFlow"])
        return original(url, **kwargs)

    client.session.post = recording_post  # type: ignore[method-assign]
    client.get_pet(client.list_pets(_params())["pets"][0]["id"])
    assert flows == ["USER_PASSWORD_AUTH"]  # one sign-in for both calls

    client._expires_at = time.monotonic() + 30  # within a minute of expiry: renewed before use
    client.list_pets(_params())
    assert flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]

    client._id_token = "not-a-token"  # the API refuses it: renewed once and resent
    client.list_pets(_params())
    assert flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN_AUTH"]


def _params() -> Any:
    from petstore.models import PetListParams

    return PetListParams(page_size=1)


# ---- petstore-mcp as an agent starts it -------------------------------------------------------------------------------


def _stdio(stack_url: str, email: str, password: str, *args: str) -> Any:
    from mcp import StdioServerParameters

    env = {"PETSTORE_API_URL": stack_url, "PETSTORE_USERNAME": email, "PETSTORE_PASSWORD": password}
    return StdioServerParameters(command=_mcp_command(), args=list(args), env=env, cwd=str(ROOT))


@in_thread
async def test_stdio_subprocess_serves_the_tools(stack: Any) -> None:
    from mcp import Client

    async with Client(_stdio(stack.url, USER, _password(stack))) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        result = await client.call_tool("list_pets", {"page_size": 3, "sort": "price_desc"})
    assert tools == OFFERED
    assert _ok(result) == Api(stack, USER).get("/pets", page_size=3, sort="price_desc")

    async with Client(_stdio(stack.url, USER, _password(stack), "--allow-write")) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        denied = await client.call_tool("delete_pet", {"id": "anything"})
    assert tools == OFFERED | WRITE_TOOLS
    assert denied.is_error and _text(denied).startswith("403 Forbidden: ")


@in_thread
async def test_stdio_subprocess_starts_without_the_api() -> None:
    from mcp import Client

    url = f"http://127.0.0.1:{_free_port()}"
    async with Client(_stdio(url, USER, "whatever")) as client:
        assert {tool.name for tool in (await client.list_tools()).tools} == OFFERED
        result = await client.call_tool("get_pet", {"id": "x"})
    assert result.is_error and "is unreachable" in _text(result) and url in _text(result)


@pytest.fixture
def http_mcp(stack: Any) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PETSTORE_API_URL": stack.url, "PETSTORE_USERNAME": USER, "PETSTORE_PASSWORD": _password(stack)}
    process = subprocess.Popen([_mcp_command(), "--transport", "streamable-http", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()


@in_thread
async def test_streamable_http_transport_serves_the_tools(stack: Any, http_mcp: str) -> None:
    from mcp import Client

    async with Client(http_mcp) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        result = await client.call_tool("list_pets", {"page_size": 2})
    assert tools == OFFERED
    assert _ok(result) == Api(stack, USER).get("/pets", page_size=2)


def test_help_answers_without_importing_the_sdk() -> None:
    code = "import sys; from mcp_server.__main__ import parse_args; parse_args(['--allow-write']); print('mcp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "False"
    shown = subprocess.run([_mcp_command(), "--help"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    for option in ("--transport", "--host", "--port", "--allow-write", "PETSTORE_API_URL"):
        assert option in shown


# ---- the API client's retry rules, against a scripted HTTP server ------------------------------------------------------


class Scripted:
    """A stand-in API and Cognito: scripted answers per "METHOD /path", and a record of what was asked."""

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, dict[str, str], Any]]] = {}
        self.requests: list[dict[str, Any]] = []
        self.flows: list[str] = []
        self.expires_in = 3600
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                key = f"{self.command} {self.path.split('?')[0]}"
                if key == "GET /config":
                    status, headers, payload = 200, {}, {"region": "us-east-1", "userPoolId": "p", "clientId": "c",
                                                         "cognitoEndpoint": scripted.url + "/cognito/"}
                elif key == "POST /cognito/":
                    scripted.flows.append(body["AuthFlow"])
                    status, headers, payload = 200, {}, {"AuthenticationResult": {
                        "IdToken": f"token-{len(scripted.flows)}", "ExpiresIn": scripted.expires_in,
                        **({"RefreshToken": "refresh"} if body["AuthFlow"] == "USER_PASSWORD_AUTH" else {})}}
                else:
                    scripted.requests.append({"key": key, "headers": dict(self.headers), "body": body})
                    queue = scripted.answers.get(key) or [(404, {}, {"error": {"code": "NotFound", "message": "No."}})]
                    status, headers, payload = queue.pop(0) if len(queue) > 1 else queue[0]
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def client(self, **kwargs: Any) -> PetStoreClient:
        return PetStoreClient(self.url, "someone@example.com", "secret", backoff=0.01, **kwargs)


PET = {"id": "p1", "name": "Rex", "type": "dog", "breed": None, "age": 2, "price": 450, "status": "available",
       "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "version": 1}


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_reads_are_retried_on_429_and_5xx_honouring_retry_after(scripted: Scripted) -> None:
    scripted.answers["GET /pets/p1"] = [(503, {}, {"message": "Service Unavailable"}),
                                        (429, {"Retry-After": "1"}, {"error": {"code": "Throttled", "message": "Slow down."}}),
                                        (200, {}, PET)]
    started = time.monotonic()
    assert scripted.client().get_pet("p1") == PET
    assert time.monotonic() - started >= 1.0  # waited as Retry-After asked
    assert [r["key"] for r in scripted.requests] == ["GET /pets/p1"] * 3
    assert scripted.flows == ["USER_PASSWORD_AUTH"]
    assert all(r["headers"]["Authorization"] == "token-1" for r in scripted.requests)


def test_loopback_calls_bypass_a_proxy_from_the_environment(scripted: Scripted, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{_free_port()}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    scripted.answers["GET /pets/p1"] = [(200, {}, PET)]
    assert scripted.client(max_retries=0).get_pet("p1") == PET


def test_reads_give_up_after_the_retries_with_the_api_message(scripted: Scripted) -> None:
    scripted.answers["GET /pets/p1"] = [(429, {"Retry-After": "0"}, {"error": {"code": "Throttled", "message": "Busy."}})]
    with pytest.raises(ApiError) as caught:
        scripted.client(max_retries=2).get_pet("p1")
    assert str(caught.value) == "429 Too Many Requests: Busy."
    assert len(scripted.requests) == 3


def test_updates_and_deletes_are_sent_once(scripted: Scripted) -> None:
    from petstore.models import PetPatch

    scripted.answers["PATCH /pets/p1"] = [(503, {}, {"message": "Service Unavailable"}), (200, {}, PET)]
    scripted.answers["DELETE /pets/p1"] = [(502, {}, {"message": "Bad Gateway"}), (204, {}, None)]
    client = scripted.client()
    with pytest.raises(ApiError, match="^503 Service Unavailable: Service Unavailable$"):
        client.update_pet("p1", PetPatch(price=1), expected_version=4)
    with pytest.raises(ApiError, match="^502 Bad Gateway"):
        client.delete_pet("p1")
    assert [r["key"] for r in scripted.requests] == ["PATCH /pets/p1", "DELETE /pets/p1"]
    assert scripted.requests[0]["headers"]["If-Match"] == '"4"' and scripted.requests[0]["body"] == {"price": 1}


def test_a_create_is_retried_with_one_idempotency_key(scripted: Scripted) -> None:
    from petstore.models import PetCreate

    scripted.answers["POST /pets"] = [(500, {}, {"message": "Internal server error"}),
                                      (409, {}, {"error": {"code": "Conflict", "message": "In progress."}}),
                                      (201, {}, PET)]
    client = scripted.client()
    assert client.create_pet(PetCreate(name="Rex", type="dog", age=2, price=450)) == PET
    keys = {r["headers"]["Idempotency-Key"] for r in scripted.requests}
    assert len(scripted.requests) == 3 and len(keys) == 1
    assert uuid.UUID(keys.pop()).version == 4
    client.create_pet(PetCreate(name="Rex", type="dog", age=2, price=450))
    assert scripted.requests[3]["headers"]["Idempotency-Key"] not in {r["headers"]["Idempotency-Key"] for r in scripted.requests[:3]}


def test_a_short_lived_token_is_renewed_and_a_401_renews_once(scripted: Scripted) -> None:
    scripted.answers["GET /pets/p1"] = [(200, {}, PET)]
    scripted.expires_in = 30  # shorter than the renewal margin: renewed before each use
    client = scripted.client()
    client.get_pet("p1")
    client.get_pet("p1")
    assert scripted.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]

    scripted.expires_in = 3600
    client._expires_at = time.monotonic() + 3600  # a token that looks fresh but the API refuses
    scripted.answers["GET /pets/p1"] = [(401, {}, {"message": "Unauthorized"})]
    with pytest.raises(ApiError, match="^401 Unauthorized: Unauthorized$"):
        client.get_pet("p1")
    assert scripted.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN_AUTH"]
    assert [r["headers"]["Authorization"] for r in scripted.requests[-2:]] == ["token-2", "token-3"]


def test_every_request_has_a_timeout_and_real_aws_cognito_is_found_from_the_region() -> None:
    import requests as requests_module

    class Recording(requests_module.Session):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[tuple[str, dict[str, Any]]] = []

        def request(self, method: str, url: str, **kwargs: Any) -> Any:  # type: ignore[override]
            self.calls.append((url, kwargs))
            if url.endswith("/config"):
                response = requests_module.Response()
                response.status_code = 200
                response._content = json.dumps({"region": "eu-west-1", "clientId": "abc", "cognitoEndpoint": None}).encode()
                return response
            raise requests_module.ConnectionError("offline")

    session = Recording()
    client = PetStoreClient("https://api.example.com/prod/", "a@example.com", "pw", session=session, backoff=0.001, max_retries=1)
    with pytest.raises(SignInError, match=r"^Could not reach Cognito at https://cognito-idp\.eu-west-1\.amazonaws\.com/"):
        client.get_pet("p1")
    assert all(kwargs.get("timeout") for _, kwargs in session.calls)
    cognito_calls = [kwargs for url, kwargs in session.calls if "cognito-idp" in url]
    assert len(cognito_calls) == 2  # retried once
    assert cognito_calls[0]["headers"]["X-Amz-Target"] == "AWSCognitoIdentityProviderService.InitiateAuth"
    assert cognito_calls[0]["headers"]["Content-Type"] == "application/x-amz-json-1.1"
    assert cognito_calls[0]["json"] == {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "abc",
                                        "AuthParameters": {"USERNAME": "a@example.com", "PASSWORD": "pw"}}


def test_no_answer_to_a_change_says_it_may_have_happened() -> None:
    import requests as requests_module

    from petstore.models import PetPatch

    class Slow(requests_module.Session):
        def request(self, method: str, url: str, **kwargs: Any) -> Any:  # type: ignore[override]
            raise requests_module.ReadTimeout("slow")

    client = PetStoreClient("http://api.invalid", "a", "b", session=Slow())
    client._id_token, client._expires_at = "token", time.monotonic() + 3600
    with pytest.raises(ApiUnavailable, match="may or may not have been applied"):
        client.update_pet("p1", PetPatch(price=1))
