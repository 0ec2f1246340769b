"""The store's own `/mcp` on the local stack, through the SDK's streamable-HTTP client, as people and agents.

Tokens are real: a user's ID token from Cognito's sign-in, an agent's access token from the client-credentials
token endpoint (`/oauth2/token`), both verified by the MCP function against the pool's keys. Tool results are
compared with what the REST API answers for the same caller.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import requests

from tests.stack_fixture import sign_in
from tests.test_mcp_server import OFFERED, READ_TOOLS, WRITE_TOOLS, in_thread

ALL_TOOLS = OFFERED | WRITE_TOOLS


# ---- tokens ---------------------------------------------------------------------------------------------------


def agent_token(stack: Any, scope: str | None = None, *, client_id: str | None = None, secret: str | None = None) -> str:
    response = requests.post(
        f"{stack.url}/oauth2/token",
        auth=(client_id or stack.agent_client_id, secret or stack.agent_client_secret),
        data={"grant_type": "client_credentials", **({"scope": scope} if scope else {})},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    return body["access_token"]


def id_token(stack: Any, email: str) -> str:
    return sign_in(stack.url, email, stack.admin.password)["IdToken"]


@pytest.fixture(scope="module")
def tokens(stack: Any) -> dict[str, str]:
    return {
        "admin": id_token(stack, stack.admin.email),
        "user": id_token(stack, stack.user.email),
        "writer": agent_token(stack),
        "reader": agent_token(stack, "petstore/read"),
    }


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def moto_key() -> Any:
    from joserfc.jwk import RSAKey
    from moto.utilities.utils import load_resource

    return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


def resign(token: str, key: Any = None, **changes: Any) -> str:
    from joserfc import jwt

    return jwt.encode({"alg": "RS256", "kid": "dummy"}, {**claims_of(token), **changes}, key or moto_key())


# ---- the SDK's client with a bearer token ----------------------------------------------------------------------------


@asynccontextmanager
async def mcp_client(stack: Any, token: str | None, **options: Any) -> AsyncIterator[Any]:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with Client(streamable_http_client(f"{stack.url}/mcp", http_client=http), **options) as client:
            yield client


def _ok(result: Any) -> Any:
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def _text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


class Rest:
    def __init__(self, stack: Any, token: str) -> None:
        self.url, self.headers = stack.url, {"Authorization": token}

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url + path, headers={**self.headers, **kwargs.pop("headers", {})},
                                timeout=30, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        response = self.call("GET", path, params=params)
        assert response.status_code == 200, response.text
        return response.json()


def _new_pet(**overrides: Any) -> dict[str, Any]:
    return {"name": f"Remote-{uuid.uuid4().hex[:8]}", "type": "hamster", "breed": "Syrian", "age": 1.5, "price": 35.5,
            **overrides}


# ---- every tool, as a person and as an agent ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["user", "reader"])
@in_thread
async def test_a_reader_initializes_lists_the_read_tools_and_calls_each(stack: Any, tokens: dict[str, str], who: str) -> None:
    rest = Rest(stack, tokens["user"])
    async with mcp_client(stack, tokens[who], mode="legacy") as client:  # legacy: the initialize handshake
        assert client.server_info is not None and client.server_info.name == "petstore"
        assert client.server_capabilities.tools is not None
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(listed) == OFFERED
        assert all(tool.output_schema and tool.annotations.read_only_hint == (name in READ_TOOLS) for name, tool in listed.items())

        page = _ok(await client.call_tool("list_pets", {"sort": "price_asc", "page_size": 3}))
        assert page == rest.get("/pets", sort="price_asc", page_size=3)
        pet = _ok(await client.call_tool("get_pet", {"id": page["pets"][0]["id"]}))
        assert pet == rest.get(f"/pets/{pet['id']}")
        answer = _ok(await client.call_tool("query_pets", {"query": "cheapest cats under $500", "page_size": 4}))
        expected = rest.call("POST", "/pets/query", json={"query": "cheapest cats under $500", "page_size": 4}).json()
        assert {k: v for k, v in answer.items() if k not in ("session_id", "meta")} == \
               {k: v for k, v in expected.items() if k not in ("session_id", "meta")}
        resource = await client.read_resource(f"pet://{pet['id']}")
        assert json.loads(resource.contents[0].text) == pet


@pytest.mark.parametrize("who", ["admin", "writer"])
@in_thread
async def test_a_writer_sees_and_uses_the_write_tools(stack: Any, tokens: dict[str, str], who: str) -> None:
    rest = Rest(stack, tokens["admin"])
    async with mcp_client(stack, tokens[who]) as client:  # the SDK's default negotiation
        assert {tool.name for tool in (await client.list_tools()).tools} == ALL_TOOLS
        created = _ok(await client.call_tool("create_pet", _new_pet()))
        assert created == rest.get(f"/pets/{created['id']}") and created["version"] == 1
        updated = _ok(await client.call_tool("update_pet", {"id": created["id"], "price": 40, "expected_version": 1}))
        assert updated == rest.get(f"/pets/{created['id']}") and updated["version"] == 2
        assert _ok(await client.call_tool("delete_pet", {"id": created["id"]})) == {"deleted": created["id"]}
    assert rest.call("GET", f"/pets/{created['id']}").status_code == 404


# ---- what writers get: REST's concurrency and idempotency ---------------------------------------------------------


@in_thread
async def test_concurrent_writers_do_not_overwrite_each_other(stack: Any, tokens: dict[str, str]) -> None:
    rest = Rest(stack, tokens["admin"])
    async with mcp_client(stack, tokens["writer"]) as agent, mcp_client(stack, tokens["admin"]) as person:
        pet = _ok(await agent.call_tool("create_pet", _new_pet()))
        first = await person.call_tool("update_pet", {"id": pet["id"], "price": 50, "expected_version": 1})
        second = await agent.call_tool("update_pet", {"id": pet["id"], "price": 60, "expected_version": 1})
        assert not first.is_error
        assert second.is_error and _text(second).startswith("412 Precondition Failed: ")
        assert rest.get(f"/pets/{pet['id']}")["price"] == 50  # the late writer changed nothing
        stale_delete = await agent.call_tool("delete_pet", {"id": pet["id"], "expected_version": 1})
        assert stale_delete.is_error and _text(stale_delete).startswith("412 ")
        _ok(await agent.call_tool("delete_pet", {"id": pet["id"], "expected_version": 2}))


@in_thread
async def test_a_retried_create_with_its_key_creates_once(stack: Any, tokens: dict[str, str]) -> None:
    rest = Rest(stack, tokens["admin"])
    pet, key = _new_pet(), str(uuid.uuid4())
    async with mcp_client(stack, tokens["writer"]) as client:
        first = _ok(await client.call_tool("create_pet", {**pet, "idempotency_key": key}))
        again = _ok(await client.call_tool("create_pet", {**pet, "idempotency_key": key}))
        other = await client.call_tool("create_pet", {**pet, "price": 1, "idempotency_key": key})
        _ok(await client.call_tool("delete_pet", {"id": first["id"]}))
    assert again == first
    assert other.is_error and _text(other).startswith("422 Unprocessable Entity: This Idempotency-Key was already used")
    named = [p for p in rest.get("/pets", type=["hamster"], page_size=100)["pets"] if p["name"] == pet["name"]]
    assert named == []  # one pet was created, and it is gone


# ---- who may not --------------------------------------------------------------------------------------------------


@in_thread
async def test_a_read_only_agent_calling_a_write_tool_gets_a_tool_error_and_nothing_changes(stack: Any, tokens: dict[str, str]) -> None:
    rest = Rest(stack, tokens["admin"])
    victim = rest.call("POST", "/pets", json=_new_pet()).json()
    before = rest.get("/pets", page_size=100, type=["hamster"])
    async with mcp_client(stack, tokens["reader"]) as client:
        created = await client.call_tool("create_pet", _new_pet())
        updated = await client.call_tool("update_pet", {"id": victim["id"], "price": 1})
        deleted = await client.call_tool("delete_pet", {"id": victim["id"]})
    why = "403 Forbidden: This agent may only read: its token does not carry the 'petstore/write' scope."
    for result in (created, updated, deleted):
        assert result.is_error and result.structured_content is None and _text(result) == why
    assert rest.get("/pets", page_size=100, type=["hamster"]) == before
    assert rest.call("DELETE", f"/pets/{victim['id']}").status_code == 204


@in_thread
async def test_a_person_outside_admins_cannot_write_either(stack: Any, tokens: dict[str, str]) -> None:
    async with mcp_client(stack, tokens["user"]) as client:
        result = await client.call_tool("create_pet", _new_pet())
    assert result.is_error and _text(result) == "403 Forbidden: Only members of the 'admins' group may change pets."


def _post_mcp(stack: Any, token: str | None, body: Any = None) -> requests.Response:
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = body or {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    return requests.post(f"{stack.url}/mcp", headers=headers, json=body, timeout=30)


def _assert_401(response: requests.Response, stack: Any, invalid: bool) -> None:
    assert response.status_code == 401, response.text
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(f'Bearer resource_metadata="{stack.url}/.well-known/oauth-protected-resource"')
    assert ('error="invalid_token"' in challenge) == invalid
    assert response.json()["error"]["code"] == "Unauthorized"


def test_no_token_is_401_pointing_at_the_metadata(stack: Any) -> None:
    _assert_401(_post_mcp(stack, None), stack, invalid=False)
    get = requests.get(f"{stack.url}/mcp", timeout=10)
    _assert_401(get, stack, invalid=False)


def test_forged_expired_and_foreign_tokens_are_401(stack: Any, tokens: dict[str, str]) -> None:
    from joserfc.jwk import RSAKey

    now = int(time.time())
    refused = {
        "garbage": "not-a-token",
        "signed by another key": resign(tokens["writer"], RSAKey.generate_key(2048)),
        "unsigned": tokens["writer"].rsplit(".", 1)[0] + ".",
        "expired": resign(tokens["writer"], iat=now - 7200, auth_time=now - 7200, exp=now - 3600),
        "another pool": resign(tokens["admin"], iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"),
        "ID token of another client": resign(tokens["admin"], aud="some-other-client"),
        "access token of another client": resign(tokens["writer"], client_id="some-other-client"),
        "a person's access token": sign_in(stack.url, stack.admin.email, stack.admin.password)["AccessToken"],
        "an agent token with no store scope": resign(tokens["writer"], scope="aws.cognito.signin.user.admin"),
        "an ID token posing as access": resign(tokens["admin"], token_use="access"),
    }
    for name, token in refused.items():
        response = _post_mcp(stack, token)
        assert response.status_code == 401, name
        _assert_401(response, stack, invalid=True)
    # The good ones pass, so the refusals above are about what each one changed.
    assert _post_mcp(stack, resign(tokens["writer"])).status_code == 200
    assert _post_mcp(stack, resign(tokens["admin"])).status_code == 200


def test_an_agent_client_the_api_does_not_know_is_refused(stack: Any) -> None:
    """A second client-credentials client of the same pool gets tokens, but the store accepts only its own."""
    import boto3

    cognito = boto3.client("cognito-idp", region_name=stack.region, endpoint_url=stack.emulator_url,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
    other = cognito.create_user_pool_client(
        UserPoolId=stack.user_pool_id, ClientName="stranger", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["petstore/read", "petstore/write"], AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    token = agent_token(stack, client_id=other["ClientId"], secret=other["ClientSecret"])
    _assert_401(_post_mcp(stack, token), stack, invalid=True)


def test_the_token_endpoint_refuses_what_cognito_refuses(stack: Any) -> None:
    url = f"{stack.url}/oauth2/token"
    grant = {"grant_type": "client_credentials"}
    wrong_secret = requests.post(url, auth=(stack.agent_client_id, "wrong"), data=grant, timeout=10)
    assert wrong_secret.status_code == 401 and wrong_secret.json() == {"error": "invalid_client"}
    unknown = requests.post(url, auth=("nobody", "x"), data=grant, timeout=10)
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"
    credentials = (stack.agent_client_id, stack.agent_client_secret)
    scope = requests.post(url, auth=credentials, data={**grant, "scope": "petstore/admin"}, timeout=10)
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    password = requests.post(url, auth=credentials, data={"grant_type": "password"}, timeout=10)
    assert password.status_code == 400 and password.json()["error"] == "unsupported_grant_type"
    posted = requests.post(url, data={**grant, "client_id": credentials[0], "client_secret": credentials[1]}, timeout=10)
    assert posted.status_code == 200
    claims = claims_of(posted.json()["access_token"])
    assert claims["token_use"] == "access" and claims["client_id"] == stack.agent_client_id
    assert claims["scope"] == "petstore/read petstore/write"
    assert claims["iss"] == f"https://cognito-idp.{stack.region}.amazonaws.com/{stack.user_pool_id}"


def test_the_metadata_document_names_the_resource_its_server_and_scopes(stack: Any) -> None:
    response = requests.get(f"{stack.url}/.well-known/oauth-protected-resource", timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["resource"] == f"{stack.url}/mcp"
    assert document["scopes_supported"] == ["petstore/read", "petstore/write"]
    assert document["bearer_methods_supported"] == ["header"]
    (server,) = document["authorization_servers"]
    # The authorization server's own metadata leads to the token endpoint that issues agents' tokens.
    server_metadata = requests.get(f"{server}/.well-known/oauth-authorization-server", timeout=10).json()
    assert server_metadata["token_endpoint"] == f"{stack.url}/oauth2/token"
    assert "client_credentials" in server_metadata["grant_types_supported"]


def test_rest_routes_still_take_only_id_tokens_of_the_web_client(stack: Any, tokens: dict[str, str]) -> None:
    """As API Gateway's Cognito authorizer (no scopes on the REST methods): an agent's access token is refused."""
    assert requests.get(f"{stack.url}/pets", headers={"Authorization": tokens["writer"]}, timeout=10).status_code == 401
    assert requests.get(f"{stack.url}/pets", headers={"Authorization": tokens["user"]}, timeout=10).status_code == 200
