"""Reserving, cancelling, releasing and adopting through the real handler (API Gateway events, DynamoDB on moto),
with the container's clock moved to make reservations lapse; and the race between shoppers at the store itself."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio
import pytest

from tests.conftest import ADMIN_CLAIMS, USER_CLAIMS, Api, id_claims, new_pet

OTHER_CLAIMS = id_claims("33333333-3333-3333-3333-333333333333", email="other@example.com")
HOLD = timedelta(hours=48)


class MovableClock:
    """The container's clock, moved by the test."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


@pytest.fixture
def clock(api: Api) -> MovableClock:
    moved = MovableClock()
    api.module.container.clock = moved
    return moved


def pet_with(api: Api, **fields: Any) -> dict[str, Any]:
    status, pet, _ = api.call("POST", "/pets", body=new_pet(**fields))
    assert status == 201, pet
    return pet


def reserve(api: Api, pet_id: str, claims: dict[str, str] = USER_CLAIMS, **kwargs: Any) -> tuple[int, Any, dict[str, str]]:
    return api.call("POST", f"/pets/{pet_id}/reservation", claims=claims, **kwargs)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------- the flow
def test_a_shopper_reserves_an_available_pet_and_only_they_and_staff_see_who(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    assert pet["reservation"] is None
    before = datetime.now(timezone.utc)
    status, reserved, headers = reserve(api, pet["id"])
    assert status == 201, reserved
    assert reserved["status"] == "pending" and reserved["version"] == 2 and headers["ETag"] == '"2"'
    assert reserved["reservation"]["holder"] == "user@example.com"
    assert before + HOLD - timedelta(seconds=5) < parse(reserved["reservation"]["expires_at"]) <= datetime.now(timezone.utc) + HOLD
    assert set(reserved["reservation"]) == {"holder", "expires_at"}  # the holder's subject is never shown

    for claims, holder in ((USER_CLAIMS, "user@example.com"), (ADMIN_CLAIMS, "user@example.com"), (OTHER_CLAIMS, None)):
        _, seen, _ = api.call("GET", f"/pets/{pet['id']}", claims=claims)
        assert seen["reservation"] == {"holder": holder, "expires_at": reserved["reservation"]["expires_at"]}
        _, listed, _ = api.call("GET", "/pets", query="status=pending", claims=claims)
        assert [p["reservation"]["holder"] for p in listed["pets"] if p["id"] == pet["id"]] == [holder]
        _, asked, _ = api.call("POST", "/pets/query", body={"query": "reserved dogs"}, claims=claims)
        assert [p["reservation"]["holder"] for p in asked["pets"] if p["id"] == pet["id"]] == [holder]

    _, mine, _ = api.call("GET", "/me/reservations", claims=USER_CLAIMS)
    assert [p["id"] for p in mine["pets"]] == [pet["id"]] and mine["pets"][0] == reserved
    assert api.call("GET", "/me/reservations", claims=OTHER_CLAIMS)[1] == {"pets": []}
    assert api.call("GET", "/inventory")[1]["by_status"] == {"available": 0, "pending": 1, "adopted": 0}


def test_a_retry_by_the_holder_is_the_same_reservation(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    first = reserve(api, pet["id"])
    clock.offset += timedelta(minutes=5)
    again = reserve(api, pet["id"])
    assert first[0] == again[0] == 201 and again[1] == first[1], "a retry neither fails nor extends the hold"
    assert reserve(api, pet["id"], headers={"If-Match": '"1"'})[1] == first[1]  # the version read before reserving
    assert len(api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1]["pets"]) == 1


def test_a_pet_that_is_not_available_is_a_clear_409_and_nothing_changes(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    reserve(api, pet["id"])
    status, body, _ = reserve(api, pet["id"], OTHER_CLAIMS)
    assert status == 409 and body["error"]["code"] == "PetNotAvailable" and body["error"]["status"] == "pending"
    assert "Rex is already reserved by another shopper" in body["error"]["message"]
    assert api.call("GET", f"/pets/{pet['id']}")[1]["reservation"]["holder"] == "user@example.com"

    on_hold = pet_with(api, status="pending")
    status, body, _ = reserve(api, on_hold["id"], OTHER_CLAIMS)
    assert status == 409 and "on hold" in body["error"]["message"]
    adopted = pet_with(api, status="adopted")
    status, body, _ = reserve(api, adopted["id"], OTHER_CLAIMS)
    assert status == 409 and body["error"]["message"] == "Rex has already been adopted."


def test_the_holder_cancels_another_shopper_may_not(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    _, reserved, _ = reserve(api, pet["id"])
    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=OTHER_CLAIMS)
    assert status == 403 and "reserved by another shopper" in body["error"]["message"]
    assert api.call("GET", f"/pets/{pet['id']}")[1] == reserved, "a refused cancel changes nothing"

    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS, headers={"If-Match": '"1"'})
    assert status == 412 and body["error"]["current_version"] == 2
    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS, headers={"If-Match": '"2"'})
    assert status == 204 and body is None
    _, now, _ = api.call("GET", f"/pets/{pet['id']}", claims=OTHER_CLAIMS)
    assert now["status"] == "available" and now["reservation"] is None and now["version"] == 3
    assert api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1] == {"pets": []}
    status, body, _ = api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)
    assert status == 404 and body["error"]["code"] == "NoReservation"
    assert "no reservation to cancel (it is available)" in body["error"]["message"]
    assert reserve(api, pet["id"], OTHER_CLAIMS)[0] == 201, "the pet can be reserved again"


def test_staff_see_the_holder_release_and_confirm_adoptions(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    reserve(api, pet["id"])
    assert api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=ADMIN_CLAIMS)[0] == 204  # a release
    _, reserved, _ = reserve(api, pet["id"], OTHER_CLAIMS)
    assert reserved["reservation"]["holder"] == "other@example.com"

    status, body, _ = api.call("POST", f"/pets/{pet['id']}/adoption", claims=OTHER_CLAIMS)
    assert status == 403, "shoppers don't confirm their own adoption"
    status, body, _ = api.call("POST", f"/pets/{pet['id']}/adoption", headers={"If-Match": f'"{reserved["version"] - 1}"'})
    assert status == 412
    status, adopted, headers = api.call("POST", f"/pets/{pet['id']}/adoption", headers={"If-Match": f'"{reserved["version"]}"'})
    assert status == 200 and adopted["status"] == "adopted" and adopted["reservation"] is None
    assert headers["ETag"] == f'"{adopted["version"]}"'
    assert api.call("POST", f"/pets/{pet['id']}/adoption")[1] == adopted, "a retried confirmation answers the same pet"
    assert api.call("GET", "/me/reservations", claims=OTHER_CLAIMS)[1] == {"pets": []}
    assert api.call("GET", "/inventory")[1]["by_status"] == {"available": 0, "pending": 0, "adopted": 1}
    assert reserve(api, pet["id"])[0] == 409

    walk_in = pet_with(api)  # an adoption needs no reservation first
    assert api.call("POST", f"/pets/{walk_in['id']}/adoption")[1]["status"] == "adopted"


def test_staff_edits_keep_a_reservation_while_the_pet_stays_pending(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    _, reserved, _ = reserve(api, pet["id"])
    _, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"price": 400})
    assert changed["reservation"] == reserved["reservation"] and changed["status"] == "pending"
    assert [p["id"] for p in api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1]["pets"]] == [pet["id"]]
    assert api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=USER_CLAIMS)[0] == 204, "still the holder's"
    reserve(api, pet["id"])
    _, back, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"status": "available"})
    assert back["reservation"] is None and api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1] == {"pets": []}
    reserve(api, pet["id"])
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204
    assert api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1] == {"pets": []}, "a removed pet is no reservation"


def test_a_shopper_holds_a_few_pets_at_most_staff_any(api: Api, clock: MovableClock) -> None:
    pets = [pet_with(api, name=f"Pet {n}") for n in range(7)]
    for pet in pets[:5]:
        assert reserve(api, pet["id"])[0] == 201
    status, body, _ = reserve(api, pets[5]["id"])
    assert status == 409 and body["error"]["code"] == "ReservationLimitReached" and body["error"]["limit"] == 5
    assert api.call("GET", f"/pets/{pets[5]['id']}")[1]["status"] == "available", "nothing reserved"
    api.call("DELETE", f"/pets/{pets[0]['id']}/reservation", claims=USER_CLAIMS)
    assert reserve(api, pets[5]["id"])[0] == 201
    assert [p["name"] for p in api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1]["pets"]] == \
        [f"Pet {n}" for n in (1, 2, 3, 4, 5)]
    for pet in pets:
        api.call("DELETE", f"/pets/{pet['id']}/reservation", claims=ADMIN_CLAIMS)
    for pet in pets:
        assert reserve(api, pet["id"], ADMIN_CLAIMS)[0] == 201


def test_absent_pets_wrong_methods_and_signed_out_callers(api: Api) -> None:
    absent = str(uuid.uuid4())
    for method, path, claims in (("POST", f"/pets/{absent}/reservation", USER_CLAIMS),
                                 ("DELETE", f"/pets/{absent}/reservation", USER_CLAIMS),
                                 ("POST", f"/pets/{absent}/adoption", ADMIN_CLAIMS),
                                 ("POST", "/pets/not-an-id/reservation", USER_CLAIMS)):
        status, body, _ = api.call(method, path, claims=claims)
        assert status == 404 and body["error"]["code"] == "NotFound", (method, path, body)
    for method, path in (("GET", f"/pets/{absent}/reservation"), ("PATCH", f"/pets/{absent}/adoption"),
                         ("DELETE", "/me/reservations")):
        status, body, headers = api.call(method, path)
        assert status == 405 and headers["Allow"], (method, path, body)
    for method, path in (("POST", f"/pets/{absent}/reservation"), ("GET", "/me/reservations")):
        assert api.call(method, path, claims=None)[0] == 401
    status, body, _ = api.call("POST", f"/pets/{absent}/reservation", claims=USER_CLAIMS, headers={"If-Match": "soon"})
    assert status == 422
    assert api.call("POST", f"/pets/{absent}/reservation", claims=USER_CLAIMS, raw="[1]")[0] == 422


# ---------------------------------------------------------------------- lapses, whatever reads
def test_a_reservation_lapses_by_itself_on_every_read_path(api: Api, clock: MovableClock) -> None:
    breed = f"Lapse{uuid.uuid4().hex[:6]}"
    lapsing, held = pet_with(api, name="Lapsing", breed=breed), pet_with(api, name="Held", breed=breed)
    _, reserved, _ = reserve(api, lapsing["id"])
    clock.offset += timedelta(hours=1)
    reserve(api, held["id"], OTHER_CLAIMS)  # lapses an hour later
    before = api.call("GET", "/inventory")[1]["by_status"]
    assert before == {"available": 0, "pending": 2, "adopted": 0}

    clock.offset = parse(reserved["reservation"]["expires_at"]) - datetime.now(timezone.utc) + timedelta(seconds=1)
    by_breed = f"breed={breed}"

    assert api.call("GET", "/inventory")[1]["by_status"] == {"available": 1, "pending": 1, "adopted": 0}
    _, pending, _ = api.call("GET", "/pets", query=f"{by_breed}&status=pending", claims=OTHER_CLAIMS)
    assert [p["name"] for p in pending["pets"]] == ["Held"] and pending["total"] == 1
    _, available, _ = api.call("GET", "/pets", query=f"{by_breed}&status=available", claims=OTHER_CLAIMS)
    assert [p["name"] for p in available["pets"]] == ["Lapsing"] and available["total"] == 1
    assert available["pets"][0]["reservation"] is None
    _, everything, _ = api.call("GET", "/pets", query=by_breed, claims=USER_CLAIMS)
    assert {p["name"]: p["status"] for p in everything["pets"]} == {"Lapsing": "available", "Held": "pending"}
    _, pet, headers = api.call("GET", f"/pets/{lapsing['id']}", claims=USER_CLAIMS)
    assert pet["status"] == "available" and pet["reservation"] is None and headers["ETag"] == f'"{pet["version"]}"'
    _, asked, _ = api.call("POST", "/pets/query", body={"query": f"reserved {breed}"}, claims=USER_CLAIMS)
    assert asked["filters"]["status"] == "pending" and [p["name"] for p in asked["pets"]] == ["Held"]
    _, asked, _ = api.call("POST", "/pets/query", body={"query": breed}, claims=USER_CLAIMS)
    assert [p["name"] for p in asked["pets"]] == ["Lapsing"]
    assert api.call("GET", "/me/reservations", claims=USER_CLAIMS)[1] == {"pets": []}
    assert [p["name"] for p in api.call("GET", "/me/reservations", claims=OTHER_CLAIMS)[1]["pets"]] == ["Held"]
    status, body, _ = api.call("DELETE", f"/pets/{lapsing['id']}/reservation", claims=USER_CLAIMS)
    assert status == 404, "a lapsed reservation is no reservation"
    assert reserve(api, lapsing["id"], OTHER_CLAIMS)[0] == 201, "anyone may reserve it again"

    clock.offset += timedelta(hours=2)  # Held lapses too (Lapsing is held again, for 48 hours): the MCP tools see it
    assert api.call("GET", "/inventory")[1]["by_status"] == {"available": 1, "pending": 1, "adopted": 0}
    got, = mcp_calls(api, OTHER_CLAIMS, [("get_pet", {"id": held["id"]})])
    assert got["structured"]["status"] == "available" and got["structured"]["reservation"] is None


def test_a_lapse_nobody_has_read_yet_is_released_by_any_search_and_by_the_sweeper(api: Api, clock: MovableClock,
                                                                                   aws_env: dict[str, str]) -> None:
    import boto3

    ddb = boto3.client("dynamodb", region_name="us-east-1")
    pets = [pet_with(api, name=f"Swept {n}") for n in range(3)]
    for pet in pets:
        reserve(api, pet["id"], ADMIN_CLAIMS)

    def stored_status(pet: dict[str, Any]) -> str:
        return ddb.get_item(TableName=aws_env["PETS_TABLE"], Key={"id": {"S": pet["id"]}})["Item"]["status"]["S"]

    clock.offset += HOLD + timedelta(minutes=1)
    assert {stored_status(pet) for pet in pets} == {"pending"}, "a lapse writes nothing by itself"
    import sweeper
    from tests.conftest import LambdaContext

    sweeper.container = api.module.container  # the same tables and clock
    assert sweeper.lambda_handler({"source": "aws.scheduler"}, LambdaContext()) == {"released": 3}
    assert {stored_status(pet) for pet in pets} == {"available"}
    assert sweeper.lambda_handler({"source": "aws.scheduler"}, LambdaContext()) == {"released": 0}
    stored = ddb.get_item(TableName=aws_env["PETS_TABLE"], Key={"id": {"S": "#holder#" + ADMIN_CLAIMS["sub"]}})
    assert "pets" not in stored.get("Item", {}), "the holder's record forgets released pets"


def test_reads_release_a_few_lapses_each_and_answer_right_meanwhile(api: Api, clock: MovableClock) -> None:
    from petstore import reservations

    pets = [pet_with(api, name=f"Many {n:02d}", price=10 + n) for n in range(reservations.SETTLE_LIMIT + 3)]
    for pet in pets:
        reserve(api, pet["id"], ADMIN_CLAIMS)
    clock.offset += HOLD + timedelta(minutes=1)
    _, pending, _ = api.call("GET", "/pets", query="status=pending&page_size=100")
    assert pending["pets"] == [], "lapsed pets leave a pending search even before all are released"
    _, available, _ = api.call("GET", "/pets", query="status=available&page_size=100")
    assert len(available["pets"]) == len(pets) and available["total"] == len(pets)


# ---------------------------------------------------------------------- through the MCP tools, in process
def mcp_calls(api: Api, claims: dict[str, str], calls: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Call tools with the SDK's in-memory client on the tools bound to this handler's core, as `claims`."""
    from mcp import Client

    from mcp_tools.core_backend import CALLER, CoreBackend
    from mcp_tools.declarations import build_server
    from petstore.auth import principal_from_claims

    server = build_server(CoreBackend(api.module.container))
    results: list[dict[str, Any]] = []

    async def run() -> None:
        CALLER.set(principal_from_claims(claims))
        async with Client(server) as client:
            for name, arguments in calls:
                result = await client.call_tool(name, arguments)
                text = "\n".join(getattr(block, "text", "") for block in result.content)
                results.append({"error": result.is_error, "text": text, "structured": result.structured_content or {}})

    failure: list[BaseException] = []

    def target() -> None:
        try:
            anyio.run(run)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return results


def test_the_tools_reserve_cancel_release_and_adopt_as_the_api_does(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    reserved, retried, taken, refused, mine = mcp_calls(api, USER_CLAIMS, [
        ("reserve_pet", {"id": pet["id"]}),
        ("reserve_pet", {"id": pet["id"]}),
        ("get_pet", {"id": pet["id"]}),
        ("confirm_adoption", {"id": pet["id"]}),
        ("my_reservations", {}),
    ])
    assert not reserved["error"] and reserved["structured"] == api.call("GET", f"/pets/{pet['id']}", claims=USER_CLAIMS)[1]
    assert retried["structured"] == reserved["structured"] and taken["structured"]["status"] == "pending"
    assert refused["error"] and refused["text"].startswith("403 Forbidden:")
    assert [p["id"] for p in mine["structured"]["pets"]] == [pet["id"]]

    other_try, other_cancel = mcp_calls(api, OTHER_CLAIMS, [("reserve_pet", {"id": pet["id"]}),
                                                            ("cancel_reservation", {"id": pet["id"]})])
    assert other_try["error"] and other_try["text"].startswith("409 Conflict: Rex is already reserved by another shopper")
    assert other_cancel["error"] and other_cancel["text"].startswith("403 Forbidden:")
    assert api.call("GET", f"/pets/{pet['id']}")[1]["reservation"]["holder"] == "user@example.com"

    cancelled, again = mcp_calls(api, USER_CLAIMS, [("cancel_reservation", {"id": pet["id"]}),
                                                    ("cancel_reservation", {"id": pet["id"]})])
    assert cancelled["structured"] == {"cancelled": pet["id"]}
    assert again["error"] and again["text"].startswith("404 Not Found:")

    stale, adopted = mcp_calls(api, ADMIN_CLAIMS, [("confirm_adoption", {"id": pet["id"], "expected_version": 1}),
                                                   ("confirm_adoption", {"id": pet["id"]})])
    assert stale["error"] and stale["text"].startswith("412 Precondition Failed:")
    assert adopted["structured"]["status"] == "adopted"
    missing, = mcp_calls(api, USER_CLAIMS, [("reserve_pet", {"id": str(uuid.uuid4())})])
    assert missing["error"] and missing["text"].startswith("404 Not Found:")


def test_an_expired_reservation_through_the_tools(api: Api, clock: MovableClock) -> None:
    pet = pet_with(api)
    mcp_calls(api, USER_CLAIMS, [("reserve_pet", {"id": pet["id"]})])
    clock.offset += HOLD + timedelta(seconds=1)
    got, listed, asked, mine = mcp_calls(api, USER_CLAIMS, [
        ("get_pet", {"id": pet["id"]}),
        ("list_pets", {"status": "pending"}),
        ("query_pets", {"query": "reserved beagles"}),
        ("my_reservations", {}),
    ])
    assert got["structured"]["status"] == "available" and got["structured"]["reservation"] is None
    assert listed["structured"]["pets"] == [] and asked["structured"]["pets"] == [] and mine["structured"] == {"pets": []}


# ---------------------------------------------------------------------- the race, at the store
def test_shoppers_racing_for_one_pet_at_the_store_one_wins(api: Api) -> None:
    """Twenty shoppers, each with a service of their own (as separate Lambda environments have), read the pet
    available and then write at the same moment: the conditional write lets exactly one through."""
    from petstore.auth import principal_from_claims
    from petstore.errors import PetStoreError
    from petstore.reservations import Lapses, ReservationService
    from petstore.store.dynamodb import DynamoPetRepository

    pet = pet_with(api)
    shoppers = 20
    barrier = threading.Barrier(shoppers, timeout=30)

    one_at_a_time = threading.Lock()

    class SameMoment(DynamoPetRepository):
        def replace(self, current: Any, new: Any, holder_limit: int | None = None) -> None:
            if current.version == 1:
                barrier.wait()  # everyone has read version 1; now all write
            # moto's in-process transactions are not atomic across threads (a cancelled one puts back the items it
            # touched, undoing another's count): the writes go one at a time, each still made from version 1.
            with one_at_a_time:
                super().replace(current, new, holder_limit)

    outcomes: list[str] = []
    lock = threading.Lock()

    def shop(n: int) -> None:
        repo = SameMoment(api.module.container.pets._table)
        service = ReservationService(repo, Lapses(repo))
        principal = principal_from_claims(id_claims(f"00000000-0000-0000-0000-{n:012d}", email=f"s{n}@example.com"))
        try:
            service.reserve(principal, pet["id"])
            outcome = "reserved"
        except PetStoreError as error:
            outcome = f"{error.status} {error.code}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=shop, args=(n,)) for n in range(shoppers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409 PetNotAvailable"] * (shoppers - 1) + ["reserved"]
    _, stored, _ = api.call("GET", f"/pets/{pet['id']}")
    assert stored["version"] == 2 and stored["reservation"]["holder"].startswith("s")
    assert api.call("GET", "/inventory")[1]["by_status"]["pending"] == 1


def test_reads_look_for_lapses_only_when_one_may_be_due(api: Api, clock: MovableClock) -> None:
    """The expiry index is asked once, then not again until the next reservation may lapse (or a minute passed)."""
    from petstore.store.aws import client

    pet = pet_with(api)
    looks: list[dict[str, Any]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "Query" and params.get("IndexName") == "ByReservationExpiry":
            looks.append(params)

    client("dynamodb").meta.events.register("before-parameter-build.dynamodb.Query", record)
    api.call("GET", "/pets", claims=USER_CLAIMS)
    assert looks == [], "a listing of every status finds a lapsed pet either way: it needn't look"
    api.call("GET", "/pets", query="status=available", claims=USER_CLAIMS)
    assert len(looks) == 1, "the first read by status looks"
    for _ in range(3):
        api.call("GET", "/pets", query="status=available", claims=USER_CLAIMS)
        api.call("POST", "/pets/query", body={"query": "dogs"}, claims=USER_CLAIMS)
    assert len(looks) == 1, "nothing can lapse within the minute: no more looks"
    clock.offset += timedelta(seconds=61)
    api.call("GET", "/pets", query="status=available", claims=USER_CLAIMS)
    assert len(looks) == 2, "a minute on, it looks again"

    _, reserved, _ = reserve(api, pet["id"])
    clock.offset += timedelta(seconds=61)
    api.call("GET", "/inventory")
    api.call("GET", "/inventory")
    assert len(looks) == 3
    clock.offset = parse(reserved["reservation"]["expires_at"]) - datetime.now(timezone.utc) - timedelta(seconds=30)
    for _ in range(3):
        api.call("GET", "/pets", query="status=pending", claims=USER_CLAIMS)  # a look each minute at most, the lapse 30 s ahead
    assert len(looks) == 4
    clock.offset += timedelta(seconds=31)  # the lapse is due: the next read looks, releases, and counts it
    assert api.call("GET", "/inventory")[1]["by_status"] == {"available": 1, "pending": 0, "adopted": 0}
    assert len(looks) == 5 and all(look["Limit"] <= 11 for look in looks)
