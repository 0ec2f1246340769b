"""Pet CRUD through the real handler with API Gateway REST events, DynamoDB on moto."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import USER_CLAIMS, WEB_CLIENT_ID, Api, id_claims, new_pet


def test_health_and_config_need_no_token(api: Api) -> None:
    status, body, _ = api.call("GET", "/health", claims=None)
    assert status == 200 and body == {"status": "ok"}
    status, body, _ = api.call("GET", "/config", claims=None)
    assert status == 200
    assert body == {"region": "us-east-1", "userPoolId": "us-east-1_test", "clientId": WEB_CLIENT_ID, "cognitoEndpoint": None}


def test_create_get_update_delete(api: Api) -> None:
    status, pet, headers = api.call("POST", "/pets", body=new_pet(price=19.99, age=0.5))
    assert status == 201, pet
    assert pet["price"] == 19.99 and isinstance(pet["price"], float)
    assert pet["age"] == 0.5 and pet["version"] == 1 and pet["status"] == "available"
    assert pet["created_at"].endswith("Z") and pet["created_at"] == pet["updated_at"]
    assert headers["ETag"] == '"1"'

    status, fetched, _ = api.call("GET", f"/pets/{pet['id']}", claims=USER_CLAIMS)
    assert status == 200 and fetched == pet

    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"price": 25}, headers={"If-Match": '"1"'})
    assert status == 200, changed
    assert changed["price"] == 25 and changed["version"] == 2 and changed["name"] == "Rex"

    status, stale, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"price": 30}, headers={"If-Match": "1"})
    assert status == 412 and stale["error"]["code"] == "PreconditionFailed"
    status, current, _ = api.call("GET", f"/pets/{pet['id']}")
    assert current["price"] == 25, "a rejected update must change nothing"

    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}")
    assert status == 204 and body is None
    status, body, _ = api.call("GET", f"/pets/{pet['id']}")
    assert status == 404 and body["error"]["code"] == "NotFound"
    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}")
    assert status == 404


def test_patch_can_clear_breed_and_rejects_null_name(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet())
    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"breed": None})
    assert status == 200 and changed["breed"] is None
    status, body, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"name": None})
    assert status == 422
    status, body, _ = api.call("PATCH", f"/pets/{pet['id']}", body={})
    assert status == 422


def test_writes_need_admins_and_reads_need_a_user(api: Api) -> None:
    status, body, _ = api.call("POST", "/pets", body=new_pet(), claims=USER_CLAIMS)
    assert status == 403 and body["error"]["code"] == "Forbidden"
    status, body, _ = api.call("GET", "/pets", claims=None)
    assert status == 401 and body["error"]["code"] == "Unauthorized"
    status, body, _ = api.call("GET", "/pets", claims=USER_CLAIMS)
    assert status == 200 and body["pets"] == [] and body["next_cursor"] is None
    assert body["total"] == 0 and body["total_capped"] is False and body["meta"]["more_to_search"] is False


@pytest.mark.parametrize("groups", ["admins", "[admins]", "[users admins]", "users,admins", '["admins"]'])
def test_every_form_of_the_groups_claim(api: Api, groups: str) -> None:
    claims = id_claims("s-1", **{"cognito:groups": groups})
    status, _, _ = api.call("POST", "/pets", body=new_pet(), claims=claims)
    assert status == 201


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "type": "dog", "age": 1, "price": 1},
        {"name": "x" * 101, "type": "dog", "age": 1, "price": 1},
        {"name": "Rex", "type": "dog", "age": -1, "price": 1},
        {"name": "Rex", "type": "dog", "age": 101, "price": 1},
        {"name": "Rex", "type": "dog", "age": 1, "price": -5},
        {"name": "Rex", "type": "dog", "age": 1, "price": 1_000_000.01},
        {"name": "Rex", "type": "dog", "age": 1, "price": 1.234},
        {"name": "Rex", "type": "dog", "age": 1, "price": "12"},
        {"name": "Rex", "type": "dog 2", "age": 1, "price": 1},
        {"name": "Rex", "type": "dog", "age": 1, "price": 1, "status": "lost"},
        {"name": "Rex", "type": "dog", "age": 1, "price": 1, "owner": "me"},
        {"type": "dog", "age": 1, "price": 1},
        [],
        "just a string",
    ],
)
def test_invalid_pets_are_422_and_change_nothing(api: Api, body: object) -> None:
    status, answer, _ = api.call("POST", "/pets", body=body)
    assert status == 422, answer
    assert answer["error"]["code"] == "ValidationError" and answer["error"]["message"]
    _, listing, _ = api.call("GET", "/pets")
    assert listing["pets"] == []


def test_malformed_json_is_400_and_big_body_413(api: Api) -> None:
    status, body, _ = api.call("POST", "/pets", raw="{not json")
    assert status == 400 and body["error"]["code"] == "BadRequest"
    status, body, _ = api.call("POST", "/pets", raw='{"name": "' + "x" * 70_000 + '"}')
    assert status == 413 and body["error"]["code"] == "PayloadTooLarge"


def test_unknown_route_404_and_wrong_method_405(api: Api) -> None:
    status, body, _ = api.call("GET", "/nowhere")
    assert status == 404 and body["error"]["code"] == "NotFound"
    status, body, headers = api.call("PUT", "/pets")
    assert status == 405 and body["error"]["code"] == "MethodNotAllowed"
    assert "POST" in headers["Allow"]


def test_idempotent_create(api: Api) -> None:
    key = {"Idempotency-Key": "order-42"}
    status1, first, _ = api.call("POST", "/pets", body=new_pet(), headers=key)
    status2, second, _ = api.call("POST", "/pets", body=new_pet(), headers=key)
    assert status1 == status2 == 201
    assert first == second
    _, listing, _ = api.call("GET", "/pets")
    assert len(listing["pets"]) == 1
    status, body, _ = api.call("POST", "/pets", body=new_pet(name="Other"), headers=key)
    assert status == 422 and body["error"]["code"] == "IdempotencyKeyReused"


def test_a_retry_after_the_keys_record_is_lost_finds_the_pet_it_made(api: Api) -> None:
    """The pet was written but its key's record was not completed (a throttled write, a crash) and lapsed: the
    retry must find that pet, not create a second one."""
    import os

    import boto3

    key = {"Idempotency-Key": "order-43"}
    status, first, _ = api.call("POST", "/pets", body=new_pet(), headers=key)
    assert status == 201
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    table = os.environ["IDEMPOTENCY_TABLE"]
    for item in ddb.scan(TableName=table)["Items"]:
        ddb.delete_item(TableName=table, Key={"id": item["id"]})
    status, again, _ = api.call("POST", "/pets", body=new_pet(), headers=key)
    assert status == 201 and again["id"] == first["id"]
    _, listing, _ = api.call("GET", "/pets")
    assert [pet["id"] for pet in listing["pets"]] == [first["id"]]
    for item in ddb.scan(TableName=table)["Items"]:
        ddb.delete_item(TableName=table, Key={"id": item["id"]})
    status, body, _ = api.call("POST", "/pets", body=new_pet(name="Other"), headers=key)
    assert status == 422 and body["error"]["code"] == "IdempotencyKeyReused"
    _, listing, _ = api.call("GET", "/pets")
    assert len(listing["pets"]) == 1


def test_a_throttled_key_record_after_the_pet_is_written_still_answers_the_pet(api: Api, monkeypatch: Any) -> None:
    from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer
    from botocore.exceptions import ClientError

    def throttled(self: Any, data_record: Any) -> None:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "UpdateItem")

    monkeypatch.setattr(DynamoDBPersistenceLayer, "_update_record", throttled)
    status, pet, _ = api.call("POST", "/pets", body=new_pet(), headers={"Idempotency-Key": "order-44"})
    assert status == 201, pet
    status, body, headers = api.call("POST", "/pets", body=new_pet(), headers={"Idempotency-Key": "order-44"})
    assert status == 409 and headers["Retry-After"] == "1", body  # its record is still in progress
    _, listing, _ = api.call("GET", "/pets")
    assert [p["id"] for p in listing["pets"]] == [pet["id"]]


def test_openapi_document(api: Api) -> None:
    status, doc, _ = api.call("GET", "/openapi.json", claims=None)
    assert status == 200 and doc["openapi"].startswith("3.")
    assert {"/pets", "/pets/{pet_id}", "/pets/query", "/health", "/config"} <= set(doc["paths"])
    statuses = set(doc["paths"]["/pets"]["post"]["responses"])
    assert {"201", "400", "401", "403", "409", "412", "413", "422", "429"} <= statuses


def test_if_match_star_means_any_version_of_a_pet_that_exists(api: Api) -> None:
    status, pet, _ = api.call("POST", "/pets", body=new_pet())
    assert status == 201
    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"price": 99}, headers={"If-Match": "*"})
    assert status == 200 and changed["price"] == 99
    missing = "00000000-0000-4000-8000-000000000000"
    status, body, _ = api.call("PATCH", f"/pets/{missing}", body={"price": 99}, headers={"If-Match": "*"})
    assert status == 404


def test_a_type_is_one_lowercase_singular_word(api: Api) -> None:
    status, pet, _ = api.call("POST", "/pets", body=new_pet(type="Dogs"))
    assert status == 201 and pet["type"] == "dog"
    status, pet, _ = api.call("POST", "/pets", body=new_pet(type="guinea pigs", breed=None))
    assert status == 201 and pet["type"] == "guinea pig"
    status, page, _ = api.call("GET", "/pets", query="type=Dogs", claims=USER_CLAIMS)
    assert status == 200 and [p["type"] for p in page["pets"]] == ["dog"]
