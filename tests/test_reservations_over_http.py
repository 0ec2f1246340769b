"""Reservations over HTTP against the local stack: shoppers racing for one pet, cancels, staff releases and
adoptions, and lapses, through the REST API, the stack's `/mcp` (the SDK's streamable-HTTP client) and
`petstore-mcp`'s tools (the SDK's in-memory client on the HTTP API client)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from tests.browser_fixture import new_user
from tests.stack_fixture import running_stack, sign_in
from tests.test_mcp_remote import agent_token, mcp_client
from tests.test_mcp_server import in_thread

SHOPPERS = 20


def token_of(stack: Any, user: Any) -> str:
    return sign_in(stack.url, user.email, user.password)["IdToken"]


def call(stack: Any, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, stack.url + path, headers={"Authorization": token, **kwargs.pop("headers", {})},
                            timeout=30, **kwargs)


def new_pet(stack: Any, admin: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Held-{uuid.uuid4().hex[:6]}", "type": "rabbit", "breed": "Lop", "age": 1, "price": 75, **fields}
    response = call(stack, "POST", "/pets", admin, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def admin(stack: Any) -> str:
    return token_of(stack, stack.admin)


@pytest.fixture(scope="module")
def shoppers(stack: Any) -> list[str]:
    """ID tokens of shoppers of their own (what one does touches no other test)."""
    users = [new_user(stack) for _ in range(SHOPPERS)]
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda user: token_of(stack, user), users))


def test_twenty_shoppers_at_once_one_reserves_the_others_get_a_clear_409(stack: Any, admin: str, shoppers: list[str]) -> None:
    pet = new_pet(stack, admin)
    start = threading.Barrier(SHOPPERS)

    def reserve(token: str) -> requests.Response:
        start.wait()
        return call(stack, "POST", f"/pets/{pet['id']}/reservation", token)

    with ThreadPoolExecutor(SHOPPERS) as pool:
        answers = list(pool.map(reserve, shoppers))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * (SHOPPERS - 1), statuses
    winner = next(i for i, answer in enumerate(answers) if answer.status_code == 201)
    for answer in answers:
        if answer.status_code == 409:
            error = answer.json()["error"]
            assert error["code"] == "PetNotAvailable" and "already reserved by another shopper" in error["message"]
    reserved = answers[winner].json()
    assert reserved["status"] == "pending" and reserved["version"] == 2

    retry = call(stack, "POST", f"/pets/{pet['id']}/reservation", shoppers[winner])
    assert retry.status_code == 201 and retry.json() == reserved, "the winner's retry is the same reservation"
    seen = call(stack, "GET", f"/pets/{pet['id']}", shoppers[(winner + 1) % SHOPPERS]).json()
    assert seen["status"] == "pending" and seen["reservation"]["holder"] is None
    assert call(stack, "GET", f"/pets/{pet['id']}", admin).json()["reservation"]["holder"] == reserved["reservation"]["holder"]
    mine = call(stack, "GET", "/me/reservations", shoppers[winner]).json()
    assert [p["id"] for p in mine["pets"]] == [pet["id"]]
    assert call(stack, "DELETE", f"/pets/{pet['id']}/reservation", shoppers[winner]).status_code == 204


def test_cancel_release_and_adoption_over_http(stack: Any, admin: str, shoppers: list[str]) -> None:
    holder, other = shoppers[0], shoppers[1]
    pet = new_pet(stack, admin)
    assert call(stack, "POST", f"/pets/{pet['id']}/reservation", holder).status_code == 201
    refused = call(stack, "DELETE", f"/pets/{pet['id']}/reservation", other)
    assert refused.status_code == 403 and "reserved by another shopper" in refused.json()["error"]["message"]
    assert call(stack, "GET", f"/pets/{pet['id']}", other).json()["status"] == "pending"

    released = call(stack, "DELETE", f"/pets/{pet['id']}/reservation", admin)  # staff release it
    assert released.status_code == 204 and not released.content
    assert call(stack, "GET", f"/pets/{pet['id']}", holder).json()["status"] == "available"
    assert call(stack, "GET", "/me/reservations", holder).json() == {"pets": []}

    reserved = call(stack, "POST", f"/pets/{pet['id']}/reservation", other)
    assert reserved.status_code == 201 and reserved.headers["ETag"] == f'"{reserved.json()["version"]}"'
    assert call(stack, "POST", f"/pets/{pet['id']}/adoption", other).status_code == 403
    stale = call(stack, "POST", f"/pets/{pet['id']}/adoption", admin, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    adopted = call(stack, "POST", f"/pets/{pet['id']}/adoption", admin, headers={"If-Match": reserved.headers["ETag"]})
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted" and adopted.json()["reservation"] is None
    assert call(stack, "POST", f"/pets/{pet['id']}/adoption", admin).json() == adopted.json()
    late = call(stack, "POST", f"/pets/{pet['id']}/reservation", holder)
    assert late.status_code == 409 and late.json()["error"]["message"].endswith("has already been adopted.")
    assert call(stack, "GET", "/me/reservations", other).json() == {"pets": []}
    gone = call(stack, "POST", f"/pets/{uuid.uuid4()}/reservation", holder)
    assert gone.status_code == 404


@in_thread
async def test_reserving_through_the_stacks_mcp_as_people_and_agents(stack: Any, admin: str, shoppers: list[str]) -> None:
    pet = new_pet(stack, admin)
    shopper, other = shoppers[2], shoppers[3]

    def result(answer: Any) -> Any:
        text = "\n".join(getattr(block, "text", "") for block in answer.content)
        return (text if answer.is_error else answer.structured_content), answer.is_error

    async with mcp_client(stack, shopper) as client:
        reserved, error = result(await client.call_tool("reserve_pet", {"id": pet["id"]}))
        assert not error and reserved == call(stack, "GET", f"/pets/{pet['id']}", shopper).json()
        again, error = result(await client.call_tool("reserve_pet", {"id": pet["id"]}))
        assert not error and again == reserved
        mine, _ = result(await client.call_tool("my_reservations", {}))
        assert mine == call(stack, "GET", "/me/reservations", shopper).json() and mine["pets"][0]["id"] == pet["id"]
        refused, error = result(await client.call_tool("confirm_adoption", {"id": pet["id"]}))
        assert error and refused.startswith("403 Forbidden:")
    async with mcp_client(stack, other) as client:
        taken, error = result(await client.call_tool("reserve_pet", {"id": pet["id"]}))
        assert error and taken.startswith("409 Conflict:") and "already reserved" in taken
        cancel, error = result(await client.call_tool("cancel_reservation", {"id": pet["id"]}))
        assert error and cancel.startswith("403 Forbidden:")
    async with mcp_client(stack, agent_token(stack)) as client:  # a writer agent: staff's tools
        seen, _ = result(await client.call_tool("get_pet", {"id": pet["id"]}))
        assert seen["reservation"]["holder"] == reserved["reservation"]["holder"]
        adopted, error = result(await client.call_tool("confirm_adoption", {"id": pet["id"], "expected_version": seen["version"]}))
        assert not error and adopted["status"] == "adopted" and adopted["reservation"] is None
    async with mcp_client(stack, agent_token(stack, "petstore/read")) as client:  # a reader agent reserves for itself
        second = new_pet(stack, admin)
        held, error = result(await client.call_tool("reserve_pet", {"id": second["id"]}))
        assert not error and held["reservation"]["holder"] == stack.agent_client_id
        done, error = result(await client.call_tool("cancel_reservation", {"id": second["id"]}))
        assert not error and done == {"cancelled": second["id"]}


@in_thread
async def test_petstore_mcp_tools_reserve_over_the_http_api(stack: Any, admin: str) -> None:
    from mcp import Client

    from mcp_server.api_client import PetStoreClient
    from mcp_server.server import build_server

    shopper = new_user(stack)
    pet = new_pet(stack, admin)
    as_shopper = build_server(PetStoreClient(stack.url, shopper.email, shopper.password))
    async with Client(as_shopper) as client:
        reserved = await client.call_tool("reserve_pet", {"id": pet["id"]})
        assert not reserved.is_error and reserved.structured_content["status"] == "pending"
        assert reserved.structured_content["reservation"]["holder"] == shopper.email
        assert json.loads(reserved.content[0].text) == reserved.structured_content
        mine = await client.call_tool("my_reservations", {})
        assert [p["id"] for p in mine.structured_content["pets"]] == [pet["id"]]
        assert "confirm_adoption" not in {tool.name for tool in (await client.list_tools()).tools}
    as_staff = build_server(PetStoreClient(stack.url, stack.admin.email, stack.admin.password), allow_write=True)
    async with Client(as_staff) as client:
        stale = await client.call_tool("confirm_adoption", {"id": pet["id"], "expected_version": 1})
        assert stale.is_error and stale.content[0].text.startswith("412 Precondition Failed:")
        released = await client.call_tool("cancel_reservation", {"id": pet["id"]})
        assert released.structured_content == {"cancelled": pet["id"]}
        missing = await client.call_tool("cancel_reservation", {"id": pet["id"]})
        assert missing.is_error and missing.content[0].text.startswith("404 Not Found:")
        adopted = await client.call_tool("confirm_adoption", {"id": pet["id"]})
        assert adopted.structured_content["status"] == "adopted"
    async with Client(as_shopper) as client:
        late = await client.call_tool("reserve_pet", {"id": pet["id"]})
        assert late.is_error and late.content[0].text == f"409 Conflict: {pet['name']} has already been adopted."


# ---------------------------------------------------------------------- lapses on a stack of their own
HOLD_SECONDS = 3.0


@pytest.fixture(scope="module")
def brief_stack() -> Any:
    """A stack whose reservations hold for three seconds, swept every second."""
    with running_stack(env={"RESERVATION_HOURS": str(HOLD_SECONDS / 3600), "PETSTORE_DEV_SWEEP_SECONDS": "1"}) as running:
        yield running


def wait_until(moment: str) -> None:
    expires = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    time.sleep(max(0.0, (expires - datetime.now(timezone.utc)).total_seconds()) + 0.3)


def test_a_reservation_lapses_on_every_read_path_over_http(brief_stack: Any) -> None:
    stack = brief_stack
    admin, user = token_of(stack, stack.admin), token_of(stack, stack.user)
    breed = f"Brief{uuid.uuid4().hex[:6]}"
    pet = new_pet(stack, admin, breed=breed)
    reserved = call(stack, "POST", f"/pets/{pet['id']}/reservation", user).json()
    assert reserved["status"] == "pending"
    assert call(stack, "GET", "/pets", user, params={"breed": breed, "status": "pending"}).json()["total"] == 1
    pending_before = call(stack, "GET", "/inventory", admin).json()["by_status"]["pending"]
    wait_until(reserved["reservation"]["expires_at"])

    # The sweeper may have released it already, or the first read does: every path agrees either way.
    assert call(stack, "GET", "/inventory", admin).json()["by_status"]["pending"] == pending_before - 1
    got = call(stack, "GET", f"/pets/{pet['id']}", user).json()
    assert got["status"] == "available" and got["reservation"] is None
    pending = call(stack, "GET", "/pets", user, params={"breed": breed, "status": "pending"}).json()
    assert pending["pets"] == [] and pending["total"] == 0
    available = call(stack, "GET", "/pets", user, params={"breed": breed, "status": "available"}).json()
    assert [p["id"] for p in available["pets"]] == [pet["id"]]
    asked = call(stack, "POST", "/pets/query", user, json={"query": f"reserved {breed}"}).json()
    assert asked["filters"]["status"] == "pending" and asked["pets"] == []
    assert call(stack, "GET", "/me/reservations", user).json() == {"pets": []}
    assert call(stack, "DELETE", f"/pets/{pet['id']}/reservation", user).status_code == 404

    @in_thread
    async def through_mcp() -> None:
        async with mcp_client(stack, user) as client:
            seen = await client.call_tool("get_pet", {"id": pet["id"]})
            assert seen.structured_content["status"] == "available"
            assert (await client.call_tool("my_reservations", {})).structured_content == {"pets": []}

    through_mcp()


def test_the_local_stack_sweeps_lapsed_reservations_when_nobody_reads(brief_stack: Any) -> None:
    import boto3

    stack = brief_stack
    admin, user = token_of(stack, stack.admin), token_of(stack, stack.user)
    pet = new_pet(stack, admin)
    reserved = call(stack, "POST", f"/pets/{pet['id']}/reservation", user).json()
    ddb = boto3.client("dynamodb", endpoint_url=stack.emulator_url, region_name=stack.region,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    table = next(name for name in ddb.list_tables()["TableNames"] if name.endswith("PetsTable"))

    def stored() -> str:
        return ddb.get_item(TableName=table, Key={"id": {"S": pet["id"]}})["Item"]["status"]["S"]

    assert stored() == "pending"
    wait_until(reserved["reservation"]["expires_at"])
    deadline = time.monotonic() + 10
    while stored() != "available" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored() == "available", "the stack's sweep released it with no API call"


@in_thread
async def test_petstore_mcp_as_an_agent_forwards_reservations_to_the_stores_mcp(stack: Any, admin: str) -> None:
    from mcp import Client

    from mcp_server.api_client import PetStoreClient
    from mcp_server.server import build_server

    pet = new_pet(stack, admin)
    agent = PetStoreClient(stack.url, client_id=stack.agent_client_id, client_secret=stack.agent_client_secret)
    async with Client(build_server(agent, allow_write=True)) as client:
        held = await client.call_tool("reserve_pet", {"id": pet["id"]})
        assert not held.is_error and held.structured_content["reservation"]["holder"] == stack.agent_client_id
        mine = await client.call_tool("my_reservations", {})
        assert pet["id"] in [p["id"] for p in mine.structured_content["pets"]]
        stale = await client.call_tool("confirm_adoption", {"id": pet["id"], "expected_version": 1})
        assert stale.is_error and stale.content[0].text.startswith("412 Precondition Failed:")
        done = await client.call_tool("cancel_reservation", {"id": pet["id"]})
        assert done.structured_content == {"cancelled": pet["id"]}
        again = await client.call_tool("cancel_reservation", {"id": pet["id"]})
        assert again.is_error and again.content[0].text.startswith("404 Not Found:")
        adopted = await client.call_tool("confirm_adoption", {"id": pet["id"]})
        assert adopted.structured_content["status"] == "adopted"
    assert call(stack, "GET", f"/pets/{pet['id']}", admin).json()["status"] == "adopted"
