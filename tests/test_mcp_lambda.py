"""The MCP function's handler (`lambda/mcp_app.py`) driven by API Gateway REST proxy events, as Lambda runs it.

DynamoDB is moto in-process (the `aws_env` fixture, shared with the REST handler so answers can be compared);
the tokens are real ones of the local stack's user pool, whose keys the handler fetches from the stack.
"""

from __future__ import annotations

import base64
import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LambdaContext
from tests.stack_fixture import sign_in

EVENTS = Path(__file__).resolve().parent.parent / "events"
API_DOMAIN = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod"  # the sample events' domain and stage
ACCEPT = "application/json, text/event-stream"


def _event(name: str) -> dict[str, Any]:
    with open(EVENTS / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def mcp_event(body: Any, token: str | None, *, method: str = "POST", headers: dict[str, str] | None = None) -> dict[str, Any]:
    """events/mcp.json with another JSON-RPC body and bearer token (None: no Authorization header)."""
    event = copy.deepcopy(_event("mcp"))
    event["httpMethod"] = event["requestContext"]["httpMethod"] = method
    wanted = {k: v for k, v in event["headers"].items() if k != "Authorization"}
    if token is not None:
        wanted["Authorization"] = f"Bearer {token}"
    wanted.update(headers or {})
    event["headers"] = wanted
    event["multiValueHeaders"] = {key: [value] for key, value in wanted.items()}
    event["body"] = json.dumps(body) if body is not None else None
    return event


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.fixture(scope="module")
def tokens(stack: Any) -> dict[str, str]:
    from tests.test_mcp_remote import agent_token

    return {
        "admin": sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"],
        "user": sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"],
        "writer": agent_token(stack),
        "reader": agent_token(stack, "petstore/read"),
    }


@pytest.fixture
def mcp(aws_env: dict[str, str], handler: Any, stack: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The MCP function's module, bound to this test's tables and to the stack's user pool."""
    for key, value in {"USER_POOL_ID": stack.user_pool_id, "USER_POOL_CLIENT_ID": stack.client_id,
                       "AGENT_CLIENT_IDS": stack.agent_client_id, "AWS_REGION": stack.region,
                       # The pool's keys, through the local stack's Cognito path (what the emulator serves).
                       "AWS_ENDPOINT_URL_COGNITO_IDP": f"{stack.url}/cognito"}.items():
        monkeypatch.setenv(key, value)
    for key in ("PUBLIC_API_URL", "OAUTH_AUTHORIZATION_SERVER", "OAUTH_RESOURCE_SERVER"):
        monkeypatch.delenv(key, raising=False)
    import mcp_app
    from mcp_tools.core_backend import CoreBackend
    from mcp_tools.declarations import build_server
    from mcp_tools.tokens import CognitoTokens
    from petstore.api.container import Container

    mcp_app.container = Container()
    mcp_app.server = build_server(CoreBackend(mcp_app.container))
    mcp_app.tokens = CognitoTokens.from_env()
    return mcp_app


def invoke(module: Any, event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    """One invocation, on a thread of its own as Lambda's runtime has (other tests of the session, Playwright's
    sync API, leave an event loop running on the main thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(module.lambda_handler, event, LambdaContext()).result()
    headers = {**(response.get("headers") or {}),
               **{k: ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()}}
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return response["statusCode"], headers, json.loads(body) if body else None


def rpc(method: str, params: dict[str, Any] | None = None, id: int = 1) -> dict[str, Any]:  # noqa: A002
    return {"jsonrpc": "2.0", "id": id, "method": method, **({"params": params} if params is not None else {})}


def call_tool(module: Any, token: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    status, _, body = invoke(module, mcp_event(rpc("tools/call", {"name": name, "arguments": arguments}), token))
    assert status == 200, body
    return body["result"]


# ---- the sample event, and every caller --------------------------------------------------------------------------


def test_the_sample_event_calls_list_pets_as_rest_answers(mcp: Any, api: Any, tokens: dict[str, str]) -> None:
    for pet in ({"name": "Rex", "type": "dog", "age": 2, "price": 450}, {"name": "Bo", "type": "dog", "age": 1, "price": 150},
                {"name": "Tom", "type": "cat", "age": 3, "price": 90}):
        assert api.call("POST", "/pets", body=pet, claims=_claims(tokens["admin"]))[0] == 201
    event = _event("mcp")
    event["headers"]["Authorization"] = event["multiValueHeaders"]["Authorization"][0] = f"Bearer {tokens['writer']}"
    status, headers, body = invoke(mcp, event)
    assert status == 200 and headers["content-type"].startswith("application/json")
    result = body["result"]
    assert result["isError"] is False
    arguments = json.loads(event["body"])["params"]["arguments"]
    _, expected, _ = api.call("GET", "/pets", query=[("type", "dog"), ("max_price", "500"), ("sort", "price_asc"),
                                                     ("page_size", str(arguments["page_size"]))], claims=_claims(tokens["user"]))
    assert result["structuredContent"] == expected
    assert [pet["name"] for pet in expected["pets"]] == ["Bo", "Rex"]


def test_initialize_then_tools_are_listed_by_what_the_caller_may_do(mcp: Any, tokens: dict[str, str]) -> None:
    hello = rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                               "clientInfo": {"name": "test", "version": "1"}})
    status, headers, body = invoke(mcp, mcp_event(hello, tokens["reader"]))
    assert status == 200 and body["result"]["serverInfo"]["name"] == "petstore"
    assert "mcp-session-id" not in {key.lower() for key in headers}  # stateless: no session to keep
    listed = {}
    for who in ("user", "reader", "admin", "writer"):
        status, _, body = invoke(mcp, mcp_event(rpc("tools/list"), tokens[who], headers={"mcp-protocol-version": "2025-06-18"}))
        assert status == 200
        listed[who] = {tool["name"] for tool in body["result"]["tools"]}
    read = {"list_pets", "get_pet", "query_pets", "my_reservations", "reserve_pet", "cancel_reservation"}
    write = {"create_pet", "update_pet", "delete_pet", "confirm_adoption"}
    assert listed == {"user": read, "reader": read, "admin": read | write, "writer": read | write}


def test_a_writer_agents_pet_is_the_stores_pet(mcp: Any, api: Any, tokens: dict[str, str]) -> None:
    created = call_tool(mcp, tokens["writer"], "create_pet", {"name": "Kiwi", "type": "bird", "age": 1, "price": 80})
    pet = created["structuredContent"]
    status, through_rest, _ = api.call("GET", f"/pets/{pet['id']}", claims=_claims(tokens["user"]))
    assert status == 200 and through_rest == pet
    refused = call_tool(mcp, tokens["reader"], "delete_pet", {"id": pet["id"]})
    assert refused["isError"] is True and refused["content"][0]["text"].startswith("403 Forbidden: This agent may only read")
    assert api.call("GET", f"/pets/{pet['id']}", claims=_claims(tokens["user"]))[0] == 200


def test_an_unknown_argument_changes_nothing(mcp: Any, api: Any, tokens: dict[str, str]) -> None:
    _, pet, _ = api.call("POST", "/pets", body={"name": "Bella", "type": "dog", "age": 2, "price": 450},
                         claims=_claims(tokens["admin"]))
    api.call("PATCH", f"/pets/{pet['id']}", body={"price": 500}, claims=_claims(tokens["admin"]))
    result = call_tool(mcp, tokens["writer"], "delete_pet", {"id": pet["id"], "expectedVersion": 1})
    assert result["isError"] is True and "expectedVersion" in result["content"][0]["text"]
    assert api.call("GET", f"/pets/{pet['id']}", claims=_claims(tokens["user"]))[0] == 200, "the pet is still there"


def test_a_bad_filter_is_the_same_422_as_rest(mcp: Any, api: Any, tokens: dict[str, str]) -> None:
    from mcp_tools.backend import error_text

    result = call_tool(mcp, tokens["user"], "list_pets", {"min_price": 500, "max_price": 100})
    status, rest, _ = api.call("GET", "/pets", query="min_price=500&max_price=100", claims=_claims(tokens["user"]))
    assert status == 422 and result["isError"] is True
    assert result["content"][0]["text"] == error_text(422, rest["error"]["message"], rest["error"]["details"])
    assert "min_price must not exceed max_price" in result["content"][0]["text"]


# ---- the 401, the metadata document, the other answers --------------------------------------------------------------


def test_no_token_or_a_bad_one_is_401_naming_the_metadata_document(mcp: Any) -> None:
    status, headers, body = invoke(mcp, mcp_event(rpc("tools/list"), None))
    assert status == 401 and body["error"]["code"] == "Unauthorized"
    assert headers["WWW-Authenticate"] == f'Bearer resource_metadata="{API_DOMAIN}/.well-known/oauth-protected-resource"'
    assert "WWW-Authenticate" in headers["Access-Control-Expose-Headers"]
    status, headers, _ = invoke(mcp, _event("mcp"))  # the sample's placeholder token: not signed by the pool
    assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]


def test_the_metadata_event_answers_the_rfc_9728_document(mcp: Any, stack: Any) -> None:
    status, headers, body = invoke(mcp, _event("oauth_protected_resource"))
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert body == {
        "resource": f"{API_DOMAIN}/mcp",
        "authorization_servers": [f"https://cognito-idp.{stack.region}.amazonaws.com/{stack.user_pool_id}"],
        "scopes_supported": ["petstore/read", "petstore/write"],
        "bearer_methods_supported": ["header"],
        "resource_name": "PetStore",
    }
    wrong = copy.deepcopy(_event("oauth_protected_resource"))
    wrong["httpMethod"] = "POST"
    assert invoke(mcp, wrong)[0] == 405


def test_other_methods_and_paths(mcp: Any, tokens: dict[str, str]) -> None:
    status, _, _ = invoke(mcp, mcp_event(None, tokens["user"], method="GET"))
    assert status == 405  # stateless: no server-to-client stream to open
    elsewhere = mcp_event(rpc("tools/list"), tokens["user"])
    elsewhere["path"] = "/mcp/extra"
    assert invoke(mcp, elsewhere)[0] == 404
    status, _, body = invoke(mcp, mcp_event({"jsonrpc": "2.0", "id": 1, "method": "no/such"}, tokens["user"]))
    assert status == 200 and body["error"]["code"] == -32601


def test_unreachable_pool_keys_are_a_503_not_a_401(mcp: Any, tokens: dict[str, str]) -> None:
    from mcp_tools.tokens import CognitoTokens

    issuer = mcp.tokens.issuer.rsplit("/", 1)
    mcp.tokens = CognitoTokens(issuer[0].split(".")[1], issuer[1], jwks_url="http://127.0.0.1:9/jwks.json")
    status, headers, body = invoke(mcp, mcp_event(rpc("tools/list"), tokens["user"]))
    assert status == 503 and headers["Retry-After"] == "1" and body["error"]["code"] == "ServiceUnavailable"


def test_the_rest_function_never_imports_the_mcp_sdk() -> None:
    root = Path(__file__).resolve().parent.parent
    code = "import sys; sys.path.insert(0, 'lambda'); import app; print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'mangum', 'mcp_tools'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env={"PATH": "", "AWS_DEFAULT_REGION": "us-east-1", "PETS_TABLE": "x"}).stdout
    assert out.strip() == "[]"


def test_the_template_gives_the_mcp_function_its_own_package_and_what_it_reads() -> None:
    from petstore.auth import Clients
    from petstore_dev.template import load_template

    resources = load_template()["Resources"]
    function = resources["PetStoreMcpFunction"]["Properties"]
    assert function["CodeUri"] == "mcp_function/" != resources["PetStoreFunction"]["Properties"]["CodeUri"]
    assert function["Handler"] == "mcp_app.lambda_handler" and function["Layers"] == [{"Ref": "CoreLayer"}]
    assert resources["CoreLayer"]["Properties"]["ContentUri"] == "lambda/"
    assert {"PETS_TABLE", "IDEMPOTENCY_TABLE", "SESSIONS_TABLE", "USER_POOL_ID", "USER_POOL_CLIENT_ID", "AGENT_CLIENT_IDS",
            "OAUTH_RESOURCE_SERVER"} <= set(function["Environment"]["Variables"])
    routes = {(event["Properties"]["Path"], event["Properties"]["Method"]): event["Properties"]["Auth"]
              for event in function["Events"].values()}
    assert routes == {("/mcp", "ANY"): {"Authorizer": "NONE"},
                      ("/.well-known/oauth-protected-resource", "GET"): {"Authorizer": "NONE"}}
    server = resources["AgentResourceServer"]["Properties"]
    clients = Clients(web=frozenset(), agents=frozenset(), resource_server=server["Identifier"])
    assert sorted(f"{server['Identifier']}/{scope['ScopeName']}" for scope in server["Scopes"]) == [clients.read_scope, clients.write_scope]
    agents = resources["AgentClient"]["Properties"]
    assert agents["AllowedOAuthFlows"] == ["client_credentials"] and agents["GenerateSecret"] is True
    assert sorted(agents["AllowedOAuthScopes"]) == [clients.read_scope, clients.write_scope]
    assert resources["UserPoolDomain"]["Properties"]["UserPoolId"] == {"Ref": "UserPool"}


def test_a_body_over_the_limit_is_413_as_in_rest(mcp: Any, tokens: dict[str, str]) -> None:
    big = rpc("tools/call", {"name": "query_pets", "arguments": {"query": "dogs", "pad": "x" * 70_000}})
    status, _, body = invoke(mcp, mcp_event(big, tokens["user"]))
    assert status == 413 and body["error"]["code"] == "PayloadTooLarge"
