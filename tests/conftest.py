"""Shared fixtures: the real handler on moto's in-process DynamoDB, driven by real API Gateway events."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["tests.stack_fixture", "tests.browser_fixture"]

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "PetStoreTest")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_DEV", "false")

# The web app client the handler accepts ID tokens of (the `aud` of the sample events in events/).
WEB_CLIENT_ID = "4example0client0id0example"
ADMIN_CLAIMS = {
    "sub": "11111111-1111-1111-1111-111111111111",
    "email": "admin@example.com",
    "cognito:groups": "admins",
    "token_use": "id",
    "aud": WEB_CLIENT_ID,
}
ALLOWED_ORIGIN = "https://pets.example.com"
USER_CLAIMS = {"sub": "22222222-2222-2222-2222-222222222222", "email": "user@example.com", "token_use": "id",
               "aud": WEB_CLIENT_ID}


def id_claims(sub: str, **extra: str) -> dict[str, str]:
    """Claims of an ID token of the web client, as API Gateway's authorizer passes them."""
    return {"sub": sub, "token_use": "id", "aud": WEB_CLIENT_ID, **extra}


class LambdaContext:
    function_name = "petstore-test"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:petstore-test"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto's in-process AWS with the template's tables, and the function's environment pointing at them."""
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for key in list(os.environ):
        if key.startswith("AWS_ENDPOINT_URL"):
            monkeypatch.delenv(key)
    with mock_aws():
        import boto3

        from petstore.store import aws
        from petstore_dev.template import create_buckets, create_tables

        aws.client.cache_clear()
        prefix = f"t{uuid.uuid4().hex[:6]}"
        env = create_tables(boto3.client("dynamodb", region_name="us-east-1"), prefix=prefix)
        env.update(create_buckets(boto3.client("s3", region_name="us-east-1"), prefix=prefix))
        env.update({"USER_POOL_ID": "us-east-1_test", "USER_POOL_CLIENT_ID": WEB_CLIENT_ID, "BEDROCK_MODEL_ID": "",
                    "ALLOWED_ORIGIN": ALLOWED_ORIGIN})
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield env
        aws.client.cache_clear()


@pytest.fixture
def handler(aws_env: dict[str, str]) -> Any:
    """A fresh handler module bound to this test's tables (each test gets its own container)."""
    import app as app_module
    from petstore.api.container import Container
    from petstore.api.rest import build_resolver

    app_module.container = Container()
    app_module.resolver = build_resolver(app_module.container)
    return app_module


class Api:
    """Calls the handler with API Gateway REST proxy events and decodes the JSON answer."""

    def __init__(self, module: Any) -> None:
        self.module = module

    def call(self, method: str, path: str, *, body: Any = None, claims: dict[str, str] | None = ADMIN_CLAIMS,
             headers: dict[str, str] | None = None, query: Any = "", raw: str | None = None) -> tuple[int, Any, dict[str, str]]:
        from petstore_dev.events import rest_event

        hdrs = {"Content-Type": "application/json", **(headers or {})}
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        event = rest_event(method, path, query=query, headers=hdrs, body=payload, claims=claims)
        response = self.module.lambda_handler(event, LambdaContext())
        text = response.get("body") or ""
        data = json.loads(text) if text else None
        headers_out = dict(response.get("headers") or {})
        for key, values in (response.get("multiValueHeaders") or {}).items():
            headers_out[key] = ", ".join(values)
        return response["statusCode"], data, headers_out


@pytest.fixture
def api(handler: Any) -> Api:
    return Api(handler)


def new_pet(**overrides: Any) -> dict[str, Any]:
    pet = {"name": "Rex", "type": "dog", "breed": "Beagle", "age": 2, "price": 450, "status": "available"}
    pet.update(overrides)
    return pet
