"""API Gateway's Cognito user pool authorizer, emulated: verify the ID token, hand over its claims."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from typing import Any

from .events import claims_as_api_gateway_sends


class CognitoAuthorizer:
    """Checks `Authorization: <ID token>` (or `Bearer <ID token>`) as API Gateway does for a user pool.

    The signature must verify (RS256) against the pool's JWKS, and the token must be an unexpired ID
    token issued by the pool for the app client.
    """

    def __init__(self, *, region: str, user_pool_id: str, client_id: str, jwks_url: str, leeway: int = 0) -> None:
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        self.jwks_url = jwks_url
        self.leeway = leeway
        self._keys: Any = None
        self._lock = threading.Lock()

    def key_set(self) -> Any:
        """The pool's public keys, fetched once."""
        with self._lock:
            if self._keys is None:
                from joserfc.jwk import KeySet

                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the emulator is on loopback
                with opener.open(self.jwks_url, timeout=10) as response:
                    self._keys = KeySet.import_key_set(json.load(response))
            return self._keys

    def verify(self, token: str) -> dict[str, Any] | None:
        """The token's claims, or None when API Gateway would answer 401."""
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            decoded = jwt.decode(token, self.key_set(), algorithms=["RS256"])
            registry = jwt.JWTClaimsRegistry(
                now=int(time.time()),
                leeway=self.leeway,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                token_use={"essential": True, "value": "id"},
                exp={"essential": True},
                sub={"essential": True},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError, TypeError, KeyError):
            return None
        return decoded.claims

    def authorize(self, authorization: str | None) -> dict[str, str] | None:
        """`requestContext.authorizer.claims` for this Authorization header, or None for 401."""
        if not authorization:
            return None
        token = authorization.strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token or token.count(".") != 2:
            return None
        claims = self.verify(token)
        return claims_as_api_gateway_sends(claims) if claims is not None else None
