"""Lambda entry point of the MCP function: `/mcp` (MCP streamable HTTP, stateless, JSON responses) and its
RFC 9728 metadata document, behind API Gateway REST proxy events.

The tools (`mcp_tools.declarations`) run on the core service in-process as the caller (`CoreBackend`).
Each `/mcp` request: verify the bearer token (`mcp_tools.tokens`) or answer 401 with
`WWW-Authenticate: Bearer resource_metadata="..."`; then hand the event to the SDK's own streamable HTTP
app through Mangum, the ASGI adapter for Lambda. This module never loads for the REST function.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from mangum import Mangum
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.auth import ProtectedResourceMetadata

from mcp_tools.core_backend import CALLER, CoreBackend
from mcp_tools.declarations import build_server
from mcp_tools.routes import MCP_PATH, METADATA_PATH
from mcp_tools.tokens import CognitoTokens, JwksUnavailable
from petstore import deadline
from petstore.api.container import Container
from petstore.limits import MAX_BODY_BYTES
from petstore.auth import Clients
from petstore.photos import links

container = Container()
server = build_server(CoreBackend(container))
tokens = CognitoTokens.from_env()
# API Gateway is the edge and forwards its own Host: DNS-rebinding protection is for servers on a local port.
_TRANSPORT_SECURITY = TransportSecuritySettings(enable_dns_rebinding_protection=False)
# One event loop for the life of the execution environment (Mangum runs each invocation on it).
_LOOP = asyncio.new_event_loop()


def public_base_url(event: dict[str, Any]) -> str:
    """The API's base URL as its callers see it: `PUBLIC_API_URL`, else the gateway's domain and stage."""
    configured = os.environ.get("PUBLIC_API_URL")
    if configured:
        return configured.rstrip("/")
    context = event.get("requestContext") or {}
    headers = {key.lower(): value for key, value in (event.get("headers") or {}).items()}
    host = context.get("domainName") or headers.get("host") or "localhost"
    proto = (headers.get("x-forwarded-proto") or "https").split(",")[0].strip()
    path, full = event.get("path") or "", context.get("path") or ""
    prefix = full[: -len(path)] if path and full.endswith(path) else ""
    return f"{proto}://{host}{prefix}"


def metadata(base_url: str) -> dict[str, Any]:
    clients = Clients.from_env()
    document = ProtectedResourceMetadata(
        resource=f"{base_url}{MCP_PATH}",
        authorization_servers=[os.environ.get("OAUTH_AUTHORIZATION_SERVER") or tokens.issuer],
        scopes_supported=[clients.read_scope, clients.write_scope],
        resource_name="PetStore",
    )
    return document.model_dump(mode="json", exclude_none=True)


def _cors(event: dict[str, Any]) -> dict[str, str]:
    """The page's origin, as the REST function answers it (ALLOWED_ORIGIN or the stage variable); never '*'."""
    origin = os.environ.get("ALLOWED_ORIGIN") or (event.get("stageVariables") or {}).get("allowedOrigin") or ""
    if not origin:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "WWW-Authenticate", "Vary": "Origin"}


def _json(event: dict[str, Any], status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    base = {"Content-Type": "application/json", **_cors(event)}
    return {"statusCode": status, "headers": {**base, **(headers or {})}, "body": json.dumps(body), "isBase64Encoded": False}


def _error(event: dict[str, Any], status: int, code: str, message: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return _json(event, status, {"error": {"code": code, "message": message}}, headers)


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    path = (event.get("path") or "").rstrip("/") or "/"
    method = (event.get("httpMethod") or "").upper()
    if path == METADATA_PATH:
        if method != "GET":
            return _error(event, 405, "MethodNotAllowed", f"{method} is not allowed on {path}.", {"Allow": "GET"})
        return _json(event, 200, metadata(public_base_url(event)), {"Cache-Control": "max-age=300"})
    if path != MCP_PATH:
        return _error(event, 404, "NotFound", f"No route {path}.")

    try:
        verdict = tokens.verify(_header(event, "Authorization"))
    except JwksUnavailable:
        return _error(event, 503, "ServiceUnavailable", "The user pool's keys could not be read; retry shortly.", {"Retry-After": "1"})
    if verdict.principal is None:
        challenge = f'Bearer resource_metadata="{public_base_url(event)}{METADATA_PATH}"'
        if verdict.problem:
            challenge += f', error="invalid_token", error_description="{verdict.problem}"'
        message = verdict.problem or "Send a bearer token: a Cognito ID token, or an agent's access token."
        return _error(event, 401, "Unauthorized", message, {"WWW-Authenticate": challenge})

    body = event.get("body") or ""
    if len(body) > MAX_BODY_BYTES * (4 / 3 if event.get("isBase64Encoded") else 1):
        return _error(event, 413, "PayloadTooLarge", f"The body is larger than the limit of {MAX_BODY_BYTES} bytes.")
    if method != "POST":
        # Stateless with JSON answers: no session to end and no stream for the server to speak first on.
        return _error(event, 405, "MethodNotAllowed", f"{method} is not allowed on {MCP_PATH}: POST JSON-RPC messages.",
                      {"Allow": "POST"})
    container.service.use_lambda_context(context)
    links.use_stage(event.get("stageVariables"))  # photo URLs on the page's distribution
    caller = CALLER.set(verdict.principal)
    deadline.start_request(event)  # a question's Bedrock wait counts from the request's start, as in REST
    try:
        asyncio.set_event_loop(_LOOP)
        app = server.streamable_http_app(stateless_http=True, json_response=True, transport_security=_TRANSPORT_SECURITY)
        return Mangum(app, lifespan="auto")(event, context)
    finally:
        deadline.end_request()
        CALLER.reset(caller)
