"""DynamoDB throttling end to end over HTTP: the local stack with PETSTORE_DEV_FAULTS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from petstore_dev.stack import StackProcess, sign_in
from tests.stack_fixture import running_stack
from tests.conftest import new_pet


@pytest.fixture(scope="module")
def throttled_stack() -> Iterator[tuple[StackProcess, str]]:
    with running_stack(seed=False, env={"PETSTORE_DEV_FAULTS": "dynamodb:BatchGetItem,TransactWriteItems"}) as running:
        assert "throttled" in running.output()
        yield running, sign_in(running.url, running.admin.email, running.admin.password)["IdToken"]


def _assert_throttled(response: requests.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["Retry-After"] == "1"
    body = response.json()
    assert body["error"]["code"] == "Throttled" and "Traceback" not in response.text


def test_a_throttled_read_is_429(throttled_stack: tuple[StackProcess, str]) -> None:
    running, token = throttled_stack
    _assert_throttled(requests.get(f"{running.url}/pets", params={"type": "dog"}, headers={"Authorization": token}, timeout=30))


def test_a_throttled_write_is_429(throttled_stack: tuple[StackProcess, str]) -> None:
    # (That nothing is half written, pet or counts, is checked in-process: tests/test_faults.py.)
    running, token = throttled_stack
    _assert_throttled(requests.post(f"{running.url}/pets", json=new_pet(), headers={"Authorization": token}, timeout=30))


def test_a_throttled_idempotent_create_is_429_and_can_be_retried(throttled_stack: tuple[StackProcess, str]) -> None:
    running, token = throttled_stack
    headers = {"Authorization": token, "Idempotency-Key": "throttled-1"}
    _assert_throttled(requests.post(f"{running.url}/pets", json=new_pet(), headers=headers, timeout=30))
    # The key is free again: the retry is throttled too, not refused as a request still in progress.
    _assert_throttled(requests.post(f"{running.url}/pets", json=new_pet(), headers=headers, timeout=30))
