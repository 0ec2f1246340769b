"""events/*.json: one API Gateway REST proxy event per route, valid for the handler and shaped like the gateway's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LambdaContext

EVENTS = Path(__file__).resolve().parent.parent / "events"
PLACEHOLDER_ID = "7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f"
EXPECTED = {
    "health": ("GET", "/health", 200),
    "config": ("GET", "/config", 200),
    "openapi": ("GET", "/openapi.json", 200),
    "list_pets": ("GET", "/pets", 200),
    "get_pet": ("GET", "/pets/{id}", 200),
    "create_pet": ("POST", "/pets", 201),
    "update_pet": ("PATCH", "/pets/{id}", 200),
    "delete_pet": ("DELETE", "/pets/{id}", 204),
    "query_pets": ("POST", "/pets/query", 200),
    "inventory": ("GET", "/inventory", 200),
    "start_photo_upload": ("POST", "/pets/{id}/photos", 201),
    "remove_photo": ("DELETE", "/pets/{id}/photos/{photo_id}", 204),
    "reserve_pet": ("POST", "/pets/{id}/reservation", 201),
    "cancel_reservation": ("DELETE", "/pets/{id}/reservation", 204),
    "confirm_adoption": ("POST", "/pets/{id}/adoption", 200),
    "my_reservations": ("GET", "/me/reservations", 200),
}
PLACEHOLDER_PHOTO_ID = "3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"
# S3 events for the photo processor (`sam local invoke PhotoProcessorFunction -e events/photo_uploaded.json`).
S3_EVENTS = {"photo_uploaded": "PhotoProcessorFunction"}
# Events that need their pet in a state first: the event that puts it there.
PREPARE = {"cancel_reservation": "reserve_pet"}
# The MCP function's routes: no authorizer at the gateway (the function checks the bearer token itself);
# tests/test_mcp_lambda.py runs these through its handler.
MCP_EVENTS = {
    "mcp": ("POST", "/mcp"),
    "oauth_protected_resource": ("GET", "/.well-known/oauth-protected-resource"),
}


def load(name: str) -> dict[str, Any]:
    with open(EVENTS / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def with_id(event: dict[str, Any], pet_id: str) -> dict[str, Any]:
    return json.loads(json.dumps(event).replace(PLACEHOLDER_ID, pet_id))


def test_one_event_per_route() -> None:
    assert sorted(path.stem for path in EVENTS.glob("*.json")) == sorted([*EXPECTED, *MCP_EVENTS, *S3_EVENTS])
    for name, (method, resource) in MCP_EVENTS.items():
        event = load(name)
        assert (event["httpMethod"], event["resource"], event["requestContext"]["resourcePath"]) == (method, resource, resource)
        assert "authorizer" not in event["requestContext"]
    for name, (method, resource, _) in EXPECTED.items():
        event = load(name)
        assert (event["httpMethod"], event["resource"]) == (method, resource), name
        assert event["requestContext"]["resourcePath"] == resource
        protected = resource not in ("/health", "/config", "/openapi.json")
        assert ("authorizer" in event["requestContext"]) == protected, name
        if protected:
            claims = event["requestContext"]["authorizer"]["claims"]
            assert all(isinstance(value, str) for value in claims.values()), "API Gateway passes claims as strings"
            assert "admins" in claims["cognito:groups"] and claims["token_use"] == "id"
            assert event["headers"]["Authorization"]


def add_photo(bucket: str, pet_id: str, photo_id: str) -> dict[str, Any]:
    """A photo of the pet with this id, uploaded and processed as S3 would deliver it (events/photo_uploaded.json)."""
    import boto3

    import photo_events
    from petstore.api.container import Container
    from tests.images import jpeg

    key = f"incoming/{pet_id}/{photo_id}"
    boto3.client("s3", region_name="us-east-1").put_object(Bucket=bucket, Key=key, Body=jpeg(), ContentType="image/jpeg")
    event = json.loads(json.dumps(load("photo_uploaded")).replace(PLACEHOLDER_ID, pet_id).replace(PLACEHOLDER_PHOTO_ID, photo_id))
    record = event["Records"][0]["s3"]
    record["bucket"]["name"], record["bucket"]["arn"] = bucket, f"arn:aws:s3:::{bucket}"
    photo_events.container = Container()
    return photo_events.lambda_handler(event, LambdaContext())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_event_file_runs_through_the_handler(name: str, handler: Any, aws_env: dict[str, str]) -> None:
    event = load(name)
    if PLACEHOLDER_ID in json.dumps(event):
        created = handler.lambda_handler(load("create_pet"), LambdaContext())
        assert created["statusCode"] == 201, created
        pet_id = json.loads(created["body"])["id"]
        event = with_id(event, pet_id)
        if PLACEHOLDER_PHOTO_ID in json.dumps(event):
            assert add_photo(aws_env["PHOTOS_BUCKET"], pet_id, PLACEHOLDER_PHOTO_ID)["results"][0]["outcome"] == "added"
        if name in PREPARE:
            prepared = handler.lambda_handler(with_id(load(PREPARE[name]), pet_id), LambdaContext())
            assert prepared["statusCode"] == EXPECTED[PREPARE[name]][2], prepared
    response = handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == EXPECTED[name][2], response
    if response["statusCode"] != 204:
        body = json.loads(response["body"])
        assert isinstance(body, dict)
    if name == "list_pets":
        assert set(body) >= {"pets", "next_cursor"}
    if name == "config":
        assert body["userPoolId"] and body["clientId"]
    if name == "inventory":
        assert set(body) == {"by_status", "by_type"}
    if name in ("reserve_pet", "confirm_adoption"):
        assert body["status"] == ("pending" if name == "reserve_pet" else "adopted")
    if name == "my_reservations":
        assert body == {"pets": []}
    if name == "start_photo_upload":
        assert body["photo"]["alt"] == "Rex catching a ball in the park" and body["upload"]["fields"]["key"].startswith("incoming/")


def test_the_s3_event_is_shaped_as_s3_sends_it_and_the_processor_takes_it(handler: Any, aws_env: dict[str, str]) -> None:
    from petstore_dev.template import s3_event_functions

    event = load("photo_uploaded")
    [record] = event["Records"]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated:")
    assert set(record["s3"]) == {"s3SchemaVersion", "configurationId", "bucket", "object"}
    assert set(record["s3"]["object"]) == {"key", "size", "eTag", "sequencer"}
    [subscription] = [found for found in s3_event_functions() if found["function"] == S3_EVENTS["photo_uploaded"]]
    assert record["s3"]["object"]["key"].startswith(subscription["prefix"])
    created = handler.lambda_handler(load("create_pet"), LambdaContext())
    pet_id = json.loads(created["body"])["id"]
    assert add_photo(aws_env["PHOTOS_BUCKET"], pet_id, PLACEHOLDER_PHOTO_ID) == {"results": [
        {"key": f"incoming/{pet_id}/{PLACEHOLDER_PHOTO_ID}", "outcome": "added", "reason": ""}]}
    pet = json.loads(handler.lambda_handler(with_id(load("get_pet"), pet_id), LambdaContext())["body"])
    assert [photo["id"] for photo in pet["photos"]] == [PLACEHOLDER_PHOTO_ID]


def _shape(value: Any, path: str = "") -> set[str]:
    """Every key path of a nested dict; claims are compared separately (they depend on the user)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            here = f"{path}.{key}" if path else key
            keys.add(here)
            if here != "authorizer.claims":
                keys |= _shape(child, here)
    return keys


def gateway_event(method: str, path: str, *, query: str = "", body: Any = None, claims: dict[str, str] | None) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from petstore_dev.gateway import Gateway

    gateway = Gateway(invoke=lambda event: {}, authorize=lambda header: claims, allowed_origin="http://127.0.0.1:3000")
    headers = {"Authorization": "token", "Accept": "application/json", "User-Agent": "test"}
    builder = EnvironBuilder(path=path, method=method, query_string=query, headers=headers,
                             data=json.dumps(body) if body is not None else None,
                             content_type="application/json" if body is not None else None,
                             base_url="http://127.0.0.1:3000")
    return gateway.build_event(Request(builder.get_environ()), claims)


@pytest.mark.parametrize("name", sorted([*EXPECTED, *MCP_EVENTS]))
def test_gateway_builds_events_shaped_like_the_files(name: str) -> None:
    from petstore_dev.events import PUBLIC_RESOURCES

    sample = load(name)
    public = sample["resource"] in PUBLIC_RESOURCES or name in MCP_EVENTS
    claims = None if public else dict(sample["requestContext"]["authorizer"]["claims"])
    body = json.loads(sample["body"]) if sample["body"] else None
    query = "&".join(f"{key}={value}" for key, values in (sample["multiValueQueryStringParameters"] or {}).items()
                     for value in values)
    built = gateway_event(sample["httpMethod"], sample["path"], query=query, body=body, claims=claims)
    assert set(built) == set(sample)
    assert _shape(built["requestContext"]) == _shape(sample["requestContext"])
    for key in ("resource", "httpMethod", "pathParameters", "multiValueQueryStringParameters", "isBase64Encoded"):
        assert built[key] == sample[key], key
    assert (built["body"] is None) == (sample["body"] is None)
    if claims is not None:
        assert built["requestContext"]["authorizer"]["claims"] == claims
