"""Who is calling, from a verified Cognito token's claims, and what they may do.

Two kinds of caller reach the store:
- a person, with an ID token of the web app client (`USER_POOL_CLIENT_ID`); writes need the `admins` group;
- an agent, with an access token of an agents' app client (`AGENT_CLIENT_IDS`) from the OAuth
  client-credentials flow; its scopes say what it may do (`<resource server>/read`, `<resource server>/write`).

API Gateway's Cognito authorizer (and the MCP function's own check) verify the signature, issuer and
expiry, but accept a token of any app client of the pool: which client and which kind of token is
acceptable is decided here, against the configured clients, so a token minted for some other client
of the same pool is no caller at all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import Forbidden, Unauthorized

ADMIN_GROUP = "admins"
DEFAULT_RESOURCE_SERVER = "petstore"


@dataclass(frozen=True)
class Clients:
    """The app clients whose tokens this API accepts, and the resource server that names the agents' scopes."""

    web: frozenset[str]
    agents: frozenset[str]
    resource_server: str = DEFAULT_RESOURCE_SERVER

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Clients:
        env = os.environ if environ is None else environ
        return cls(
            web=_ids(env.get("USER_POOL_CLIENT_ID")),
            agents=_ids(env.get("AGENT_CLIENT_IDS")),
            resource_server=env.get("OAUTH_RESOURCE_SERVER") or DEFAULT_RESOURCE_SERVER,
        )

    @property
    def read_scope(self) -> str:
        return f"{self.resource_server}/read"

    @property
    def write_scope(self) -> str:
        return f"{self.resource_server}/write"


def _ids(raw: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (raw or "").split(",") if part.strip())


@dataclass(frozen=True)
class Principal:
    subject: str
    email: str | None
    groups: frozenset[str]
    # An agent (client-credentials access token) has scopes and no groups; a person has groups and no scopes.
    scopes: frozenset[str] = frozenset()
    agent: bool = False
    write_scope: str = f"{DEFAULT_RESOURCE_SERVER}/write"

    @property
    def is_admin(self) -> bool:
        return ADMIN_GROUP in self.groups

    @property
    def can_write(self) -> bool:
        """A person in the admins group, or an agent whose token carries the write scope."""
        return self.write_scope in self.scopes if self.agent else self.is_admin


def parse_groups(raw: object) -> frozenset[str]:
    """`cognito:groups` arrives as a list, 'a,b', '[a b]', '["a","b"]' or 'a' depending on the integration."""
    if raw is None:
        return frozenset()
    if isinstance(raw, (list, tuple, set, frozenset)):
        return frozenset(str(group).strip() for group in raw if str(group).strip())
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, list):
            return parse_groups(decoded)
        text = text[1:-1]
    parts = text.replace(",", " ").split()
    return frozenset(part.strip("\"'") for part in parts if part.strip("\"'"))


def _audiences(raw: object) -> frozenset[str]:
    """A Cognito ID token names one audience; JWT allows a list."""
    if isinstance(raw, (list, tuple)):
        return frozenset(str(value) for value in raw)
    return frozenset({str(raw)}) if raw else frozenset()


def principal_from_claims(claims: Mapping[str, object] | None, clients: Clients | None = None) -> Principal | None:
    """The caller these claims describe, or None when they are no caller of this API.

    Accepted: an ID token (`token_use` id) whose `aud` is the web client, or an access token (`token_use`
    access) whose `client_id` is an agents' client and whose `scope` holds the read or write scope.
    """
    if not claims:
        return None
    clients = clients or Clients.from_env()
    token_use = claims.get("token_use")
    if token_use == "id":
        if not _audiences(claims.get("aud")) & clients.web:
            return None
        subject = claims.get("sub") or claims.get("cognito:username")
        if not subject:
            return None
        email = claims.get("email")
        return Principal(subject=str(subject), email=str(email) if email else None,
                         groups=parse_groups(claims.get("cognito:groups")), write_scope=clients.write_scope)
    if token_use == "access":
        client_id = str(claims.get("client_id") or "")
        if client_id not in clients.agents:
            return None
        scopes = frozenset(str(claims.get("scope") or "").split()) & {clients.read_scope, clients.write_scope}
        if not scopes:
            return None
        return Principal(subject=str(claims.get("sub") or client_id), email=None, groups=frozenset(),
                         scopes=scopes, agent=True, write_scope=clients.write_scope)
    return None


def require_reader(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first: send a Cognito ID token in the Authorization header.")
    return principal


def require_admin(principal: Principal | None) -> Principal:
    """Allowed to change pets: a member of the admins group, or an agent with the write scope."""
    principal = require_reader(principal)
    if principal.can_write:
        return principal
    if principal.agent:
        raise Forbidden(f"This agent may only read: its token does not carry the '{principal.write_scope}' scope.")
    raise Forbidden(f"Only members of the '{ADMIN_GROUP}' group may change pets.")
