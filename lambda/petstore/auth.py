"""Who is calling, from API Gateway's Cognito authorizer claims, and what they may do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import Forbidden, Unauthorized

ADMIN_GROUP = "admins"


@dataclass(frozen=True)
class Principal:
    subject: str
    email: str | None
    groups: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return ADMIN_GROUP in self.groups


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


def principal_from_claims(claims: Mapping[str, object] | None) -> Principal | None:
    if not claims:
        return None
    subject = claims.get("sub") or claims.get("cognito:username") or claims.get("username")
    if not subject:
        return None
    email = claims.get("email")
    return Principal(subject=str(subject), email=str(email) if email else None, groups=parse_groups(claims.get("cognito:groups")))


def require_reader(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first: send a Cognito ID token in the Authorization header.")
    return principal


def require_admin(principal: Principal | None) -> Principal:
    principal = require_reader(principal)
    if not principal.is_admin:
        raise Forbidden(f"Only members of the '{ADMIN_GROUP}' group may change pets.")
    return principal
