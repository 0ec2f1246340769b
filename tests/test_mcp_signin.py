"""How `petstore-mcp` signs in: as a person, with a given token, or as an agent (client credentials), and where
it refuses to send a password or a client secret, whatever the API's unauthenticated documents say.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from mcp_server.api_client import PetStoreClient, SignInError
from mcp_server.server import build_server
from tests.stack_fixture import sign_in
from tests.test_mcp_server import OFFERED, WRITE_TOOLS, _mcp_command, in_thread

SECRET = "hunter2-Secret"


class Recorder:
    """A loopback HTTP server answering scripted JSON per path and recording every request it gets."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.answers = answers or {}
        self.requests: list[dict[str, Any]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                recorder.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
                answer = recorder.answers.get(self.path.split("?")[0])
                data = json.dumps(answer(recorder) if callable(answer) else answer).encode() if answer is not None else b"{}"
                self.send_response(200 if answer is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def sent(self) -> str:
        return json.dumps(self.requests)


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, Recorder]]:
    api, elsewhere = Recorder(), Recorder()
    yield api, elsewhere
    for server in (api, elsewhere):
        server.httpd.shutdown()
        server.httpd.server_close()


class RecordingSession:
    """A requests.Session that records every URL asked for and answers only the API's own."""

    def __init__(self, api_url: str) -> None:
        import requests

        self.inner = requests.Session()
        self.api_url = api_url
        self.urls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        import requests

        self.urls.append(url)
        if not url.startswith(self.api_url):
            raise requests.ConnectionError("this test lets nothing leave for other hosts")
        return self.inner.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)


# ---- a password goes only to the API's origin or to AWS's Cognito ----------------------------------------------


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        ({"cognitoEndpoint": "ELSEWHERE/", "region": "us-east-1"}, "elsewhere"),
        ({"cognitoEndpoint": "http://evil.example/", "region": "us-east-1"}, "http://evil.example/"),
        ({"cognitoEndpoint": "https://cognito-idp.us-east-1.amazonaws.com.evil.example/", "region": "us-east-1"}, "evil.example"),
        ({"cognitoEndpoint": None, "region": "evil.example/#"}, "no valid AWS region"),
        ({"cognitoEndpoint": None, "region": None}, "no valid AWS region"),
        ({"cognitoEndpoint": "https://user:pa55word@cognito-idp.us-east-1.amazonaws.com/", "region": "us-east-1"}, "user name or password"),
        ({"cognitoEndpoint": ["not", "a", "url"], "region": "us-east-1"}, "not set to a URL"),
    ],
)
def test_a_config_pointing_elsewhere_gets_no_password(servers: tuple[Recorder, Recorder], config: dict[str, Any], shown: str) -> None:
    api, elsewhere = servers
    if config["cognitoEndpoint"] == "ELSEWHERE/":
        config = {**config, "cognitoEndpoint": elsewhere.url + "/"}
        shown = elsewhere.url
    api.answers["/config"] = {"userPoolId": "p", "clientId": "c", **config}
    session = RecordingSession(api.url)
    client = PetStoreClient(api.url, "someone@example.com", SECRET, session=session, backoff=0.001)  # type: ignore[arg-type]
    with pytest.raises(SignInError) as caught:
        client.get_pet("p1")
    message = str(caught.value)
    assert message.startswith("Not signing in: ") and shown in message
    assert "pa55word" not in message and SECRET not in message
    assert session.urls == [f"{api.url}/config"]  # the only request made: no sign-in was attempted anywhere
    assert elsewhere.requests == [] and SECRET not in api.sent()


def test_the_same_origin_and_aws_cognito_are_where_a_password_may_go(servers: tuple[Recorder, Recorder]) -> None:
    api, _ = servers
    api.answers["/config"] = {"clientId": "c", "region": "us-east-1", "cognitoEndpoint": api.url + "/cognito/"}
    api.answers["/cognito/"] = {"AuthenticationResult": {"IdToken": "id-token", "ExpiresIn": 3600}}
    api.answers["/pets/p1"] = {"id": "p1"}
    assert PetStoreClient(api.url, "someone@example.com", SECRET).get_pet("p1") == {"id": "p1"}
    sign_ins = [r for r in api.requests if r["path"] == "/cognito/"]
    assert len(sign_ins) == 1 and SECRET in sign_ins[0]["body"]
    assert [r["headers"].get("Authorization") for r in api.requests if r["path"] == "/pets/p1"] == ["id-token"]


@in_thread
async def test_an_api_url_that_does_not_parse_is_a_tool_error() -> None:
    from mcp import Client

    for url, words in (("http://[::1", "PETSTORE_API_URL is not a valid URL"),
                       ("ftp://example.com", "must be an http:// or https:// URL"),
                       (f"http://admin:{SECRET}@127.0.0.1:9", "must not carry a user name or password")):
        async with Client(build_server(PetStoreClient(url, "a@example.com", "pw"))) as client:
            assert {tool.name for tool in (await client.list_tools()).tools} == OFFERED
            result = await client.call_tool("list_pets", {})
        text = result.content[0].text
        assert result.is_error and words in text, text
        assert SECRET not in text


@in_thread
async def test_a_broken_api_url_in_the_environment_is_a_tool_error() -> None:
    from mcp import Client, StdioServerParameters

    env = {"PETSTORE_API_URL": "http://[::1", "PETSTORE_USERNAME": "a@example.com", "PETSTORE_PASSWORD": "pw"}
    async with Client(StdioServerParameters(command=_mcp_command(), env=env)) as client:
        result = await client.call_tool("get_pet", {"id": "x"})
    assert result.is_error and result.content[0].text.startswith("PETSTORE_API_URL is not a valid URL (Invalid IPv6 URL)")


def test_petstore_mcp_prints_no_traceback_for_a_broken_api_url() -> None:
    """The whole exchange over stdio: the tool error comes back and stderr stays free of tracebacks."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_pets", "arguments": {}}},
    ]
    process = subprocess.Popen([_mcp_command()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={"PATH": "/usr/bin:/bin", "PETSTORE_API_URL": "http://[::1"})
    assert process.stdin is not None and process.stdout is not None
    try:
        for message in messages:
            process.stdin.write(json.dumps(message) + "\n")
            process.stdin.flush()
        answer: dict[str, Any] = {}
        while answer.get("id") != 2:
            answer = json.loads(process.stdout.readline())
    finally:
        _, stderr = process.communicate(timeout=30)
    assert answer["result"]["isError"] is True
    assert "PETSTORE_API_URL is not a valid URL" in answer["result"]["content"][0]["text"]
    assert "Traceback" not in stderr


# ---- an agent's client secret goes only to a trusted token endpoint ---------------------------------------------


def test_a_token_endpoint_elsewhere_gets_no_client_secret(servers: tuple[Recorder, Recorder]) -> None:
    api, elsewhere = servers
    api.answers["/.well-known/oauth-protected-resource"] = {"resource": api.url + "/mcp", "authorization_servers": [elsewhere.url]}
    elsewhere.answers["/.well-known/oauth-authorization-server"] = {"issuer": elsewhere.url, "token_endpoint": elsewhere.url + "/oauth2/token"}
    client = PetStoreClient(api.url, client_id="agent", client_secret=SECRET, backoff=0.001)
    with pytest.raises(SignInError, match="the client secret is not sent there"):
        client.bearer()
    assert [r["path"] for r in elsewhere.requests] == ["/.well-known/oauth-authorization-server"]  # read, never posted to
    assert SECRET not in elsewhere.sent() and SECRET not in api.sent()


def test_a_token_endpoint_named_by_the_user_is_used_as_given(servers: tuple[Recorder, Recorder]) -> None:
    api, issuer = servers
    issuer.answers["/token"] = {"access_token": "agent-token", "expires_in": 3600, "token_type": "Bearer"}
    client = PetStoreClient(api.url, client_id="agent/1", client_secret=SECRET, token_url=issuer.url + "/token", scopes="petstore/read")
    assert client.bearer() == "agent-token"
    (posted,) = issuer.requests
    assert posted["body"] == "grant_type=client_credentials&scope=petstore%2Fread"
    assert posted["headers"]["Authorization"].startswith("Basic ") and api.requests == []


# ---- each kind of caller against the local stack -------------------------------------------------------------------


def _server(stack: Any, *, allow_write: bool = False, **credentials: Any) -> Any:
    return build_server(PetStoreClient(stack.url, **credentials), allow_write=allow_write)


@in_thread
async def test_an_agent_signs_in_with_client_credentials_and_works_through_the_stores_mcp(stack: Any) -> None:
    from mcp import Client

    from tests.test_mcp_remote import Rest

    rest = Rest(stack, sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"])
    writer = {"client_id": stack.agent_client_id, "client_secret": stack.agent_client_secret}
    async with Client(_server(stack, allow_write=True, **writer)) as client:
        assert {tool.name for tool in (await client.list_tools()).tools} == OFFERED | WRITE_TOOLS
        page = await client.call_tool("list_pets", {"page_size": 2, "sort": "price_desc"})
        assert page.structured_content == rest.get("/pets", page_size=2, sort="price_desc")
        created = await client.call_tool("create_pet", {"name": "Agent-made", "type": "fish", "age": 0.5, "price": 3})
        assert not created.is_error and rest.get(f"/pets/{created.structured_content['id']}")["name"] == "Agent-made"
        deleted = await client.call_tool("delete_pet", {"id": created.structured_content["id"], "expected_version": 1})
        assert deleted.structured_content == {"deleted": created.structured_content["id"]}
        missing = await client.call_tool("get_pet", {"id": created.structured_content["id"]})
        assert missing.is_error and missing.content[0].text.startswith("404 Not Found: ")

    reader = {**writer, "scopes": "petstore/read"}
    async with Client(_server(stack, allow_write=True, **reader)) as client:
        refused = await client.call_tool("create_pet", {"name": "Nope", "type": "fish", "age": 1, "price": 1})
    assert refused.is_error and refused.content[0].text.startswith("403 Forbidden: This agent may only read")

    async with Client(_server(stack, client_id=stack.agent_client_id, client_secret="wrong")) as client:
        wrong = await client.call_tool("list_pets", {})
    assert wrong.is_error and wrong.content[0].text == f"The token endpoint refused client {stack.agent_client_id}: invalid_client"


@in_thread
async def test_a_given_token_is_used_as_is_for_people_and_agents(stack: Any) -> None:
    from mcp import Client

    from tests.test_mcp_remote import agent_token

    user_token = sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"]
    async with Client(_server(stack, token=user_token)) as client:  # an ID token: the REST API
        mine = await client.call_tool("list_pets", {"page_size": 1})
    assert not mine.is_error and len(mine.structured_content["pets"]) == 1

    async with Client(_server(stack, token=agent_token(stack, "petstore/read"))) as client:  # an access token: /mcp
        theirs = await client.call_tool("list_pets", {"page_size": 1})
    assert theirs.structured_content == mine.structured_content

    async with Client(_server(stack, token="not-a-token")) as client:
        refused = await client.call_tool("list_pets", {})
    assert refused.is_error and refused.content[0].text.startswith("401 Unauthorized: ")
