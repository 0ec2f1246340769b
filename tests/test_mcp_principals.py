"""Who the core takes a caller to be: the token's kind and client checked against the configured clients.

API Gateway's authorizer (and the MCP function's own check) verify signature, issuer and expiry but accept
any app client of the pool; `petstore.auth.principal_from_claims` decides which tokens are callers at all.
"""

from __future__ import annotations

from typing import Any

import pytest

from petstore.auth import Clients, principal_from_claims, require_admin, require_reader
from petstore.errors import Forbidden, Unauthorized
from tests.conftest import WEB_CLIENT_ID, Api, id_claims, new_pet

CLIENTS = Clients(web=frozenset({"web"}), agents=frozenset({"agent-a", "agent-b"}))


def access(client_id: str = "agent-a", scope: str = "petstore/read petstore/write", **extra: Any) -> dict[str, Any]:
    return {"sub": client_id, "token_use": "access", "client_id": client_id, "scope": scope, **extra}


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"sub": "u1", "token_use": "id", "aud": "web", "cognito:groups": "[admins]"}, ("u1", False, True)),
        ({"sub": "u2", "token_use": "id", "aud": "web"}, ("u2", False, False)),
        (access(), ("agent-a", True, True)),
        (access("agent-b", "petstore/read"), ("agent-b", True, False)),
        (access(scope="petstore/write"), ("agent-a", True, True)),
    ],
)
def test_callers_the_api_accepts(claims: dict[str, Any], expected: tuple[str, bool, bool]) -> None:
    principal = principal_from_claims(claims, CLIENTS)
    assert principal is not None
    assert (principal.subject, principal.agent, principal.can_write) == expected


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "u1", "token_use": "id", "aud": "other-client", "cognito:groups": "admins"},  # another app client
        {"sub": "u1", "aud": "web", "cognito:groups": "admins"},  # no token_use
        {"sub": "u1", "token_use": "access", "client_id": "web", "scope": "aws.cognito.signin.user.admin"},  # a person's access token
        {"sub": "u1", "token_use": "id", "client_id": "web"},  # an ID token without its audience
        access("stranger"),  # a client-credentials client the API does not know
        access(scope="aws.cognito.signin.user.admin other/write"),  # none of the store's scopes
        {**access(), "token_use": "refresh"},
        {"token_use": "id", "aud": "web"},  # nobody
    ],
)
def test_tokens_that_are_no_caller(claims: dict[str, Any]) -> None:
    assert principal_from_claims(claims, CLIENTS) is None


def test_without_configured_clients_nothing_is_accepted() -> None:
    nobody = Clients(web=frozenset(), agents=frozenset())
    assert principal_from_claims({"sub": "u", "token_use": "id", "aud": ""}, nobody) is None
    assert principal_from_claims(access(), nobody) is None


def test_write_permission_and_its_reasons() -> None:
    reader = principal_from_claims(access(scope="petstore/read"), CLIENTS)
    person = principal_from_claims({"sub": "u", "token_use": "id", "aud": "web"}, CLIENTS)
    with pytest.raises(Forbidden, match="its token does not carry the 'petstore/write' scope"):
        require_admin(reader)
    with pytest.raises(Forbidden, match="Only members of the 'admins' group"):
        require_admin(person)
    with pytest.raises(Unauthorized):
        require_reader(None)
    assert require_reader(reader) is reader


def test_the_resource_server_names_the_scopes() -> None:
    clients = Clients.from_env({"USER_POOL_CLIENT_ID": "web", "AGENT_CLIENT_IDS": " a1 , a2 ", "OAUTH_RESOURCE_SERVER": "shop"})
    assert clients.agents == {"a1", "a2"} and clients.write_scope == "shop/write"
    assert principal_from_claims(access("a2", "shop/write"), clients).can_write  # type: ignore[union-attr]
    assert principal_from_claims(access("a2", "petstore/write"), clients) is None


def test_the_rest_handler_refuses_tokens_of_other_clients(api: Api) -> None:
    admin_elsewhere = {"sub": "x", "token_use": "id", "aud": "another-client", "cognito:groups": "[admins]"}
    status, body, _ = api.call("POST", "/pets", body=new_pet(), claims=admin_elsewhere)
    assert status == 401 and body["error"]["code"] == "Unauthorized"
    assert api.call("GET", "/pets", claims={**admin_elsewhere, "token_use": "access"})[0] == 401
    assert api.call("POST", "/pets", body=new_pet(), claims=id_claims("y", **{"cognito:groups": "[admins]"}))[0] == 201
    assert id_claims("y")["aud"] == WEB_CLIENT_ID
