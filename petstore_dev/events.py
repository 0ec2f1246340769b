"""API Gateway REST (v1) proxy events, built the way API Gateway builds them for a Lambda proxy integration."""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl

from mcp_tools.routes import ROUTES as MCP_ROUTES
from petstore.api.rest import PUBLIC_PATHS, ROUTES

# Resource templates of the API, as the handlers declare them (the REST function's and the MCP function's);
# literal paths first, so /pets/query is not taken for /pets/{id}.
RESOURCES = tuple(sorted({**ROUTES, **MCP_ROUTES}, key=lambda resource: "{" in resource))
_RESOURCE_PATTERNS = [
    (resource, re.compile("^" + re.sub(r"\\\{([^/]+)\\\}", r"(?P<\1>[^/]+)", re.escape(resource)) + "$"))
    for resource in RESOURCES
]
PUBLIC_RESOURCES = PUBLIC_PATHS


def match_resource(path: str) -> tuple[str, dict[str, str]] | None:
    for resource, pattern in _RESOURCE_PATTERNS:
        found = pattern.match(path)
        if found:
            return resource, found.groupdict()
    return None


def _multi(pairs: Iterable[tuple[str, str]], lower: bool = False) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        values.setdefault(key.lower() if lower else key, []).append(value)
    return values


def rest_event(
    method: str,
    path: str,
    *,
    query: str | Iterable[tuple[str, str]] = "",
    headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
    body: bytes | str | None = None,
    claims: Mapping[str, str] | None = None,
    stage: str = "local",
    source_ip: str = "127.0.0.1",
    binary: bool = False,
) -> dict[str, Any]:
    header_pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    query_pairs = parse_qsl(query, keep_blank_values=True) if isinstance(query, str) else list(query)
    matched = match_resource(path)
    resource, path_params = matched if matched else ("/{proxy+}", {"proxy": path.lstrip("/")})
    multi_headers = _multi(header_pairs)
    multi_query = _multi(query_pairs)
    if isinstance(body, bytes):
        if binary:
            body_text: str | None = base64.b64encode(body).decode()
        else:
            body_text = body.decode("utf-8", "replace")
    else:
        body_text = body
    now = time.time()
    request_context: dict[str, Any] = {
        "resourceId": "local",
        "resourcePath": resource,
        "httpMethod": method,
        "extendedRequestId": uuid.uuid4().hex[:16],
        "requestTime": datetime.now(timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "path": f"/{stage}{path}",
        "accountId": "000000000000",
        "protocol": "HTTP/1.1",
        "stage": stage,
        "domainPrefix": "localhost",
        "requestTimeEpoch": int(now * 1000),
        "requestId": str(uuid.uuid4()),
        "identity": {
            "cognitoIdentityPoolId": None,
            "accountId": None,
            "cognitoIdentityId": None,
            "caller": None,
            "sourceIp": source_ip,
            "principalOrgId": None,
            "accessKey": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
            "userArn": None,
            "userAgent": next((v for k, v in header_pairs if k.lower() == "user-agent"), None),
            "user": None,
        },
        "domainName": "localhost",
        "apiId": "local",
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": dict(claims)}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {key: values[-1] for key, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {key: values[-1] for key, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": body_text,
        "isBase64Encoded": bool(binary and body is not None),
    }


def claims_as_api_gateway_sends(token_claims: Mapping[str, Any]) -> dict[str, str]:
    """API Gateway's Cognito authorizer passes every claim as a string; groups as '[a b]', times as dates."""
    claims: dict[str, str] = {}
    for key, value in token_claims.items():
        if isinstance(value, list):
            claims[key] = "[" + " ".join(str(v) for v in value) + "]"
        elif isinstance(value, bool):
            claims[key] = "true" if value else "false"
        elif key in ("exp", "iat", "auth_time") and isinstance(value, (int, float)):
            claims[key] = datetime.fromtimestamp(value, timezone.utc).strftime("%a %b %d %H:%M:%S UTC %Y")
        else:
            claims[key] = str(value)
    return claims
