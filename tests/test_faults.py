"""DynamoDB faults reach the client as a clear 429 with Retry-After, never a stack trace, nothing half written."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.conftest import USER_CLAIMS, Api, new_pet


@pytest.fixture
def throttled(api: Api) -> tuple[Api, Stubber]:
    client = boto3.client("dynamodb", region_name="us-east-1")
    api.module.container.pets._client = client
    return api, Stubber(client)


def _assert_throttled(status: int, body: Any, headers: dict[str, str]) -> None:
    assert status == 429, body
    assert body["error"]["code"] == "Throttled" and "retry" in body["error"]["message"].lower()
    assert headers["Retry-After"] == "1"
    assert "Traceback" not in str(body)


def test_throttled_read(throttled: tuple[Api, Stubber]) -> None:
    api, stub = throttled
    table = api.module.container.pets._table
    with stub:
        # A listing of every status reads the counts, then the pets (a lapse check comes only with a status filter).
        stub.add_client_error("batch_get_item", "ProvisionedThroughputExceededException", http_status_code=400)
        _assert_throttled(*api.call("GET", "/pets", query="type=dog", claims=USER_CLAIMS))
        counts = {"dog": {"N": "3"}}
        stub.add_response("batch_get_item", {"Responses": {table: [{"id": {"S": "#counts#0"}, 'c["dog","","available"]': counts["dog"]}]}})
        stub.add_client_error("query", "ProvisionedThroughputExceededException", http_status_code=400)
        _assert_throttled(*api.call("GET", "/pets", query="type=dog", claims=USER_CLAIMS))
        # With a status filter the read first asks the reservation expiry index whether a lapse is due.
        stub.add_client_error("query", "ThrottlingException", http_status_code=400)
        _assert_throttled(*api.call("GET", "/pets", query="status=available", claims=USER_CLAIMS))
        stub.add_client_error("get_item", "ThrottlingException", http_status_code=400)
        _assert_throttled(*api.call("GET", "/pets/0b7f2c1e-8a43-4a36-9b71-3b1f1f0f6a11", claims=USER_CLAIMS))


@pytest.mark.parametrize("error", [
    {"service_error_code": "ProvisionedThroughputExceededException"},
    {"service_error_code": "TransactionCanceledException",
     "response_meta": {}, "modeled_fields": {"CancellationReasons": [{"Code": "ThrottlingError"}, {"Code": "None"}]}},
])
def test_throttled_write_writes_nothing(throttled: tuple[Api, Stubber], error: dict[str, Any]) -> None:
    api, stub = throttled
    with stub:
        stub.add_client_error("transact_write_items", http_status_code=400,
                              **{k: v for k, v in error.items() if k != "response_meta"})
        _assert_throttled(*api.call("POST", "/pets", body=new_pet()))
    api.module.container.pets._client = None  # back to the real (moto) client
    status, body, _ = api.call("GET", "/pets", claims=USER_CLAIMS)
    assert status == 200 and body["pets"] == [] and body["total"] == 0


def test_throttled_update_changes_nothing(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet(price=100))
    client = boto3.client("dynamodb", region_name="us-east-1")
    stored = client.get_item(TableName=api.module.container.pets._table, Key={"id": {"S": pet["id"]}})
    api.module.container.pets._client = client
    with Stubber(client) as stub:
        stub.add_response("get_item", {"Item": stored["Item"]})
        stub.add_client_error("transact_write_items", "RequestLimitExceeded", http_status_code=400)
        _assert_throttled(*api.call("PATCH", f"/pets/{pet['id']}", body={"price": 5, "type": "cat"}))
    api.module.container.pets._client = None
    _, current, _ = api.call("GET", f"/pets/{pet['id']}")
    assert current["price"] == 100 and current["version"] == 1
    _, inventory, _ = api.call("GET", "/inventory")
    assert inventory["by_type"] == {"dog": 1}, "the counts did not move either"


def test_two_writers_of_the_same_version_one_wins(api: Api) -> None:
    """Both read version 1, both write: the second is refused instead of silently overwriting the first.

    (Interleaved by hand: in-process moto does not make conditional writes atomic across threads, DynamoDB does.)
    """
    _, pet, _ = api.call("POST", "/pets", body=new_pet(price=100))
    _, seen_by_a, _ = api.call("GET", f"/pets/{pet['id']}")
    _, seen_by_b, _ = api.call("GET", f"/pets/{pet['id']}")
    status_a, _, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"price": 201}, headers={"If-Match": f'"{seen_by_a["version"]}"'})
    status_b, body_b, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"name": "B"}, headers={"If-Match": f'"{seen_by_b["version"]}"'})
    assert (status_a, status_b) == (200, 412)
    assert body_b["error"]["current_version"] == 2
    _, current, _ = api.call("GET", f"/pets/{pet['id']}")
    assert current["version"] == 2 and current["price"] == 201 and current["name"] == "Rex"
