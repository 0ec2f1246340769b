"""Lambda entry point: API Gateway (REST) proxy events for the pet store."""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from petstore import deadline
from petstore.api.container import Container
from petstore.api.rest import MAX_BODY_BYTES, allowed_origin, authorize_write_early, build_resolver
from petstore.errors import BadRequest, PayloadTooLarge, PetStoreError, ValidationFailed
from petstore.observability import logger, metrics
from petstore.photos import links

_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean", type(None): "null"}

container = Container()
# With ALLOWED_ORIGIN set (locally, in tests) the routes are built now; in AWS on the first event, for the origin
# its stage names.
resolver = build_resolver(container) if os.environ.get("ALLOWED_ORIGIN") else None


def _precheck(event: dict[str, Any]) -> PetStoreError | None:
    """Reject what must never reach a route: oversized bodies, bodies that aren't one UTF-8 JSON object, writes by
    non-admins."""
    try:
        authorize_write_early(event)
    except PetStoreError as error:
        return error
    body = event.get("body")
    if not body:
        return None
    raw: bytes
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return BadRequest("The body is not valid base64.")
    else:
        raw = body.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BODY_BYTES:
        return PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.")
    if (event.get("httpMethod") or "").upper() in ("POST", "PATCH", "PUT"):
        try:
            text = raw.decode("utf-8")
            document = json.loads(text)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return BadRequest("The body is not valid JSON (UTF-8).")
        if not isinstance(document, dict):
            # Every body is one JSON object; an array would otherwise be read as its first element.
            return ValidationFailed(f"The body must be one JSON object, not {_JSON_KINDS.get(type(document), 'that')}.",
                                    details=[{"field": "body", "message": "must be a JSON object", "type": "object_type"}])
        event["body"], event["isBase64Encoded"] = text, False
        _treat_as_json(event)
    return None


def _treat_as_json(event: dict[str, Any]) -> None:
    """The body is JSON whatever Content-Type says (`curl -d` sends form-urlencoded): route it as JSON."""
    for key in ("headers", "multiValueHeaders"):
        headers = {k: v for k, v in (event.get(key) or {}).items() if k.lower() != "content-type"}
        headers["Content-Type"] = "application/json" if key == "headers" else ["application/json"]
        event[key] = headers


def _error_response(error: PetStoreError, origin: str) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", **error.headers}
    headers["Access-Control-Allow-Origin"] = origin
    return {"statusCode": error.status, "headers": headers, "body": json.dumps(error.body()), "isBase64Encoded": False}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global resolver
    deadline.start_request(event)
    try:
        origin = allowed_origin(event.get("stageVariables"))
        links.use_stage(event.get("stageVariables"))
        if resolver is None:
            resolver = build_resolver(container, origin)
        if (event.get("httpMethod") or "").upper() == "POST":
            container.service.use_lambda_context(context)
        error = _precheck(event)
        if error is not None:
            return _error_response(error, origin)
        return resolver.resolve(event, context)
    finally:
        deadline.end_request()
