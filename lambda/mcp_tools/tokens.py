"""The MCP function's own token check: a Cognito JWT of this user pool, then the core's principal rules.

API Gateway's Cognito authorizer takes ID tokens on a method without OAuth scopes and only access tokens
on one with scopes, never both; `/mcp` must take a person's ID token and an agent's access token, so the
gateway lets `/mcp` through and this check runs first in the function, before any MCP processing.
Signature (RS256, the pool's JWKS), issuer and expiry are verified here; which client and which kind of
token is acceptable is `petstore.auth.principal_from_claims`' decision, as for the REST routes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from petstore.auth import Clients, Principal, principal_from_claims

JWKS_TIMEOUT_SECONDS = 5


class JwksUnavailable(Exception):
    """The pool's public keys could not be fetched: the token can be neither accepted nor refused."""


@dataclass(frozen=True)
class Verdict:
    principal: Principal | None
    problem: str | None = None  # why a presented token was refused (None: no token at all, or accepted)


class CognitoTokens:
    def __init__(self, region: str, user_pool_id: str, *, jwks_url: str | None = None, clients: Clients | None = None) -> None:
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.jwks_url = jwks_url or f"{self.issuer}/.well-known/jwks.json"
        self._clients = clients
        self._keys = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CognitoTokens:
        env = os.environ if environ is None else environ
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        pool = env.get("USER_POOL_ID") or ""
        # Locally the emulator serves the pool's keys; its tokens still name the real issuer.
        endpoint = (env.get("AWS_ENDPOINT_URL_COGNITO_IDP") or "").rstrip("/")
        return cls(region, pool, jwks_url=f"{endpoint}/{pool}/.well-known/jwks.json" if endpoint else None)

    def _key_for(self, token: str):  # noqa: ANN202 - jwt.PyJWK
        import jwt

        if self._keys is None:
            self._keys = jwt.PyJWKClient(self.jwks_url, cache_keys=True, timeout=JWKS_TIMEOUT_SECONDS)
        try:
            return self._keys.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            raise JwksUnavailable(str(exc)) from exc

    def verify(self, authorization: str | None) -> Verdict:
        """The caller behind an Authorization header (`Bearer <token>` or the bare token)."""
        import jwt

        token = (authorization or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            return Verdict(None)
        try:
            key = self._key_for(token)
            claims = jwt.decode(
                token, key, algorithms=["RS256"], issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except JwksUnavailable:
            raise
        except jwt.ExpiredSignatureError:
            return Verdict(None, "The token has expired.")
        except (jwt.PyJWTError, ValueError, TypeError):
            return Verdict(None, "The token is not a valid token of this user pool.")
        principal = principal_from_claims(claims, self._clients)
        if principal is None:
            return Verdict(None, "The token was not issued to an app client of this API (or carries none of its scopes).")
        return Verdict(principal)
