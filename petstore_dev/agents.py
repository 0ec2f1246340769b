"""Agents on the local stack: the template's resource server and agents' app client, and the OAuth token
endpoint Cognito's user pool domain serves (`POST /oauth2/token`, client-credentials grant), which the
emulator lacks.

Tokens are issued as Cognito issues them (claims, RS256, the pool's issuer) and signed with the emulator's
own pool key, so anything that verifies against the pool's JWKS accepts them like any other token.
"""

from __future__ import annotations

import base64
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from .template import resources_of_type

TOKEN_PATH = "/oauth2/token"
AUTHORIZATION_SERVER_METADATA_PATH = "/.well-known/oauth-authorization-server"
_CLIENT_KEYS = ("ClientName", "GenerateSecret", "AllowedOAuthFlows", "AllowedOAuthScopes",
                "AllowedOAuthFlowsUserPoolClient", "ExplicitAuthFlows", "SupportedIdentityProviders",
                "PreventUserExistenceErrors", "EnableTokenRevocation", "AccessTokenValidity", "TokenValidityUnits")
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


@dataclass(frozen=True)
class AgentClient:
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    resource_server: str


def agent_settings() -> dict[str, Any]:
    """The template's resource server and the app client with the client-credentials grant."""
    server = next(iter(resources_of_type("AWS::Cognito::UserPoolResourceServer").values()))
    client = next(props for props in resources_of_type("AWS::Cognito::UserPoolClient").values()
                  if "client_credentials" in (props.get("AllowedOAuthFlows") or []))
    return {"resource_server": server, "client": client}


def provision_agents(cognito: Any, pool_id: str) -> AgentClient:
    settings = agent_settings()
    server = settings["resource_server"]
    cognito.create_resource_server(UserPoolId=pool_id, Identifier=server["Identifier"], Name=server["Name"],
                                   Scopes=server["Scopes"])
    props = {key: settings["client"][key] for key in _CLIENT_KEYS if key in settings["client"]}
    created = cognito.create_user_pool_client(UserPoolId=pool_id, **props)["UserPoolClient"]
    return AgentClient(created["ClientId"], created["ClientSecret"], tuple(props["AllowedOAuthScopes"]),
                       server["Identifier"])


def _signing_key() -> Any:
    """The private half of the JWKS the emulator serves for every pool."""
    from joserfc.jwk import RSAKey
    from moto.utilities.utils import load_resource

    return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


class TokenEndpoint:
    """`POST /oauth2/token` with `grant_type=client_credentials`, as Cognito's domain answers it (RFC 6749 4.4)."""

    def __init__(self, cognito: Any, *, region: str, user_pool_id: str, issuer_url: str) -> None:
        self.cognito = cognito
        self.user_pool_id = user_pool_id
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.issuer_url = issuer_url.rstrip("/")  # where this endpoint is served: the authorization server
        self._key = _signing_key()

    @staticmethod
    def _oauth_error(error: str, status: int = 400, description: str | None = None) -> Response:
        body = {"error": error, **({"error_description": description} if description else {})}
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
        if error == "invalid_client" and status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="petstore"'
        return Response(json.dumps(body), status=status, headers=headers)

    def _client_credentials(self, request: Request) -> tuple[str, str] | None:
        header = request.headers.get("Authorization", "")
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
            client_id, _, secret = decoded.partition(":")
            return unquote(client_id), unquote(secret)
        client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
        return (client_id, secret) if client_id and secret else None

    def metadata(self, request: Request) -> Response:
        """RFC 8414 metadata of this local authorization server (Cognito's is its OpenID configuration)."""
        body = {
            "issuer": self.issuer_url,
            "token_endpoint": f"{self.issuer_url}{TOKEN_PATH}",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "response_types_supported": ["token"],
            "jwks_uri": f"{self.issuer_url}/cognito/{self.user_pool_id}/.well-known/jwks.json",
        }
        return Response(json.dumps(body), status=200, headers={"Content-Type": "application/json"})

    def __call__(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(json.dumps({"error": "invalid_request", "error_description": "POST only"}), status=405,
                            headers={"Content-Type": "application/json", "Allow": "POST"})
        if request.mimetype != "application/x-www-form-urlencoded":
            return self._oauth_error("invalid_request", description="Send application/x-www-form-urlencoded.")
        credentials = self._client_credentials(request)
        if credentials is None:
            return self._oauth_error("invalid_client", 401, "Authenticate the client (HTTP Basic or client_secret_post).")
        client_id, secret = credentials
        try:
            client = self.cognito.describe_user_pool_client(UserPoolId=self.user_pool_id, ClientId=client_id)["UserPoolClient"]
        except self.cognito.exceptions.ResourceNotFoundException:
            return self._oauth_error("invalid_client", 401)
        if not hmac.compare_digest(str(client.get("ClientSecret", "")), secret):
            return self._oauth_error("invalid_client", 401)
        if request.form.get("grant_type") != "client_credentials":
            return self._oauth_error("unsupported_grant_type")
        if "client_credentials" not in (client.get("AllowedOAuthFlows") or []):
            return self._oauth_error("unauthorized_client")
        allowed = list(client.get("AllowedOAuthScopes") or [])
        asked = (request.form.get("scope") or "").split()
        if any(scope not in allowed for scope in asked):
            return self._oauth_error("invalid_scope")
        scopes = asked or allowed
        validity = int(client.get("AccessTokenValidity") or 60) * _SECONDS.get(
            (client.get("TokenValidityUnits") or {}).get("AccessToken", "minutes"), 60)
        return Response(json.dumps({"access_token": self.issue(client_id, scopes, validity),
                                    "expires_in": validity, "token_type": "Bearer"}),
                        status=200, headers={"Content-Type": "application/json", "Cache-Control": "no-store"})

    def issue(self, client_id: str, scopes: list[str], validity: int) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {"sub": client_id, "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
                  "iss": self.issuer, "exp": now + validity, "iat": now, "version": 2, "jti": str(uuid.uuid4()),
                  "client_id": client_id}
        return jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, self._key)
