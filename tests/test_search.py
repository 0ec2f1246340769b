"""Searches within the read budget: the planner's choices, resuming cursors, and answers equal to a brute-force filter."""

from __future__ import annotations

import json
import logging
import math
import random
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petstore import cursors
from petstore.models import Pet, PetFilter, SortOrder
from petstore.reads import READ_BUDGET, Reads
from petstore.service import Listing, PetService
from petstore.store.counts import StoreCounts
from petstore.store.dynamodb import CHUNK_SLACK, DynamoPetRepository
from petstore.store.keys import STATUS_SHARDS
from petstore.store.maintenance import load
from petstore.store.planner import make_search, plan
from tests.brute import expected
from tests.conftest import USER_CLAIMS, Api

TYPES = ["dog", "cat", "bird", "rabbit", "fish"]
BREEDS = {"dog": ["Beagle", "Golden Retriever", "Labrador Retriever"], "cat": ["Siamese", "Maine Coon"],
          "bird": ["Budgie"], "rabbit": ["Holland Lop"], "fish": ["Betta"]}
NAMES = ["Max", "max", "Maple", "Émile", "Emily", "Luna", "Nala", "Rex", "Bella", "Biscuit", "Ma", "Zoë", "Coco"]


def make_pets(count: int, seed: int) -> list[Pet]:
    """Pets with few distinct prices, ages and names, so ties (broken by id) are everywhere."""
    rng = random.Random(seed)
    pets = []
    for _ in range(count):
        pet_type = rng.choice(TYPES)
        pets.append(Pet(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), name=rng.choice(NAMES), type=pet_type,
            breed=rng.choice(BREEDS[pet_type] + [None]), age=rng.choice([0.25, 0.5, 1, 2, 3, 5, 8, 12.5]),
            price=rng.choice([0, 5, 19.99, 100, 250, 499.99, 500, 500.01, 800, 1200, 2995]),
            status=rng.choice(["available", "available", "pending", "adopted"]),
            sex=rng.choice(["female", "male", None]), size=rng.choice(["small", "medium", "large", None]),
            good_with={k: rng.choice([True, False, None]) for k in ("children", "dogs", "cats")},
            created_at="2026-01-01T00:00:00.000Z", updated_at="2026-01-01T00:00:00.000Z", version=1,
        ))
    return pets


@pytest.fixture(scope="module")
def stores() -> Iterator[dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]]]:
    """Three inventories (40, 150 and 400 pets) in moto, loaded once for the module."""
    import boto3
    from moto import mock_aws

    from benchmarks.fast_moto import faster_index_queries
    from petstore_dev.template import create_tables

    with pytest.MonkeyPatch.context() as mp, faster_index_queries():
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            mp.setenv(name, "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        with mock_aws():
            ddb = boto3.client("dynamodb", region_name="us-east-1")
            found = {}
            for size, seed in ((40, 1), (150, 2), (400, 3)):
                table = create_tables(ddb, prefix=f"search{size}")["PETS_TABLE"]
                pets = make_pets(size, seed)
                load(ddb, table, pets)
                repo = DynamoPetRepository(table, ddb)
                found[size] = (PetService(repo), repo, pets)
            yield found


def all_pages(service: PetService, f: PetFilter, text: str | None, page_size: int, budget: int,
              pages_cap: int = 500) -> tuple[list[Pet], list[Listing]]:
    """Follow the cursors from the first page to the last, each request with its own budget."""
    listings = [service.search(f, page_size, None, 0, text=text, reads=Reads(budget))]
    while listings[-1].page.next_cursor and len(listings) < pages_cap:
        cursor = cursors.decode(listings[-1].page.next_cursor)
        assert cursor.pet_filter == f and cursor.text == text
        listings.append(service.resume(cursor, page_size, reads=Reads(budget)))
    assert listings[-1].page.next_cursor is None, "the cursors never ended"
    return [pet for listing in listings for pet in listing.page.pets], listings


def check_against_brute_force(service: PetService, pets: list[Pet], f: PetFilter, text: str | None,
                              page_size: int, budget: int) -> list[Listing]:
    found, listings = all_pages(service, f, text, page_size, budget)
    want = expected(pets, f, text)
    ids = [pet.id for pet in found]
    assert len(ids) == len(set(ids)), f"duplicates for {f} {text!r}"
    assert ids == [pet.id for pet in want], f"wrong pets or order for {f} {text!r}"
    for listing in listings:
        assert listing.items_read <= budget, f"{listing.items_read} items read for {f} {text!r} (budget {budget})"
        assert len(listing.page.pets) <= page_size
        if listing.page.total is not None:
            if listing.page.total_capped:
                assert listing.page.total <= len(want)
            else:
                assert listing.page.total == len(want), f"total {listing.page.total} != {len(want)} for {f} {text!r}"
    return listings


# ------------------------------------------------------------------------------ property: any filter, any data


@st.composite
def filters(draw: st.DrawFn) -> tuple[PetFilter, str | None]:
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["type"] = draw(st.lists(st.sampled_from(TYPES + ["dragon"]), min_size=1, max_size=4, unique=True))
    if draw(st.integers(0, 4)) == 0:
        fields["breed"] = draw(st.sampled_from(["beagle", "Siamese", "MAINE COON", "Golden Retriever", "Poodle"]))
    for attr, values in (("price", [0, 5, 19.99, 100, 250, 500, 800, 2995]), ("age", [0.25, 1, 2, 3, 8, 12.5])):
        if draw(st.booleans()):
            low, high = sorted(draw(st.lists(st.sampled_from(values), min_size=2, max_size=2)))
            if draw(st.booleans()):
                fields[f"min_{attr}"], fields[f"min_{attr}_strict"] = low, draw(st.booleans())
            if draw(st.booleans()):
                fields[f"max_{attr}"], fields[f"max_{attr}_strict"] = high, draw(st.booleans())
    if draw(st.integers(0, 2)) == 0:
        fields["status"] = draw(st.sampled_from(["available", "pending", "adopted"]))
    if draw(st.integers(0, 3)) == 0:
        fields["sex"] = draw(st.sampled_from(["female", "male"]))
    if draw(st.integers(0, 3)) == 0:
        fields["size"] = draw(st.sampled_from(["small", "medium", "large"]))
    for member in ("children", "dogs", "cats"):
        if draw(st.integers(0, 5)) == 0:
            fields[f"good_with_{member}"] = draw(st.booleans())
    fields["sort"] = draw(st.sampled_from([None, *SortOrder]))
    if draw(st.integers(0, 5)) == 0:
        fields["limit"] = draw(st.integers(1, 30))
    text = draw(st.sampled_from([None, None, None, "ma", "M", "emi", "ÉMI", "retriever", "gold", "zz", "lab ret"]))
    return PetFilter(**fields), text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=filters(), size=st.sampled_from([40, 150, 400]), page_size=st.integers(1, 12), budget=st.integers(24, 80))
def test_paging_within_the_budget_returns_what_one_unbounded_read_does(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]], case: tuple[PetFilter, str | None],
    size: int, page_size: int, budget: int,
) -> None:
    service, _, pets = stores[size]
    f, text = case
    unbounded = service.search(f, 10_000, None, 0, text=text, reads=Reads(10**9))
    assert unbounded.page.next_cursor is None
    assert [p.id for p in unbounded.page.pets] == [p.id for p in expected(pets, f, text)]
    check_against_brute_force(service, pets, f, text, page_size, budget)


# ------------------------------------------------------------------------------ the shapes that used to scan

# At 400 pets, with a budget of 40 for pages of 10: the shapes measured reading the whole store.
SHAPES = [
    ("youngest first, price under $1", PetFilter(sort="age_asc", max_price=1, max_price_strict=True), None),
    ("the same with every type", PetFilter(type=TYPES, sort="age_asc", max_price=1, max_price_strict=True), None),
    ("youngest first, price 2,990-3,000", PetFilter(sort="age_asc", min_price=2990, max_price=3000), None),
    ("dogs, youngest first, price 2,990-3,000, adopted",
     PetFilter(type=["dog"], sort="age_asc", min_price=2990, max_price=3000, status="adopted"), None),
    ("youngest first, price 100-250", PetFilter(sort="age_asc", min_price=100, max_price=250), None),
    ("adopted", PetFilter(status="adopted"), None),
    ("oldest first, female, small, good with cats",
     PetFilter(sort="age_desc", sex="female", size="small", good_with_cats=True), None),
    ("cheapest first, good with children, named or bred 'lab'", PetFilter(sort="price_asc", good_with_children=True), "lab"),
]


@pytest.mark.parametrize(("label", "f", "text"), SHAPES, ids=[s[0] for s in SHAPES])
def test_former_whole_store_reads_stay_within_the_budget(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]], label: str, f: PetFilter, text: str | None,
) -> None:
    service, _, pets = stores[400]
    listings = check_against_brute_force(service, pets, f, text, page_size=10, budget=40)
    assert max(listing.items_read for listing in listings) <= 40


def test_a_residual_walk_that_runs_out_says_so_and_resumes(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]],
) -> None:
    service, _, pets = stores[400]
    f = PetFilter(sort="age_desc", sex="female", size="small", good_with_cats=True)
    listings = check_against_brute_force(service, pets, f, None, page_size=10, budget=30)
    short = [listing for listing in listings if listing.more_to_search]
    assert short, "a selective residual filter on a small budget must run out at least once"
    for listing in short:
        assert len(listing.page.pets) < 10 and listing.page.next_cursor
        assert listing.page.meta is not None and listing.page.meta.items_scanned == listing.items_read


def test_a_narrow_range_is_read_first_and_sorted_in_memory(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]],
) -> None:
    _, repo, pets = stores[400]
    f = PetFilter(sort="age_asc", min_price=2990, max_price=3000)
    reads = Reads()
    page = repo.search(f, 5, None, reads)
    want = expected(pets, f)
    assert page.answered_by == "price range first"
    assert [p.id for p in page.pets] == [p.id for p in want[:5]]
    assert page.total == len(want) and not page.total_capped, "the whole range was read: the count is exact"
    assert reads.used <= 4 + len(want) + 1


def test_a_status_search_reads_its_status_partitions_only(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]],
) -> None:
    _, repo, pets = stores[400]
    counts = repo.counts(Reads())
    chosen = plan(make_search(PetFilter(status="adopted"), None, counts), counts, READ_BUDGET)
    assert chosen.walk is not None
    assert {s.index.name for s in chosen.walk.sources} == {"ByStatusName"}
    assert {s.partition for s in chosen.walk.sources} == {f"adopted#{n}" for n in range(STATUS_SHARDS)}
    reads = Reads()
    page = repo.search(PetFilter(status="adopted"), 10, None, reads)
    assert [p.id for p in page.pets] == [p.id for p in expected(pets, PetFilter(status="adopted"))[:10]]
    assert reads.used <= 4 + math.ceil((10 + 1) * CHUNK_SLACK) + 1 + STATUS_SHARDS
    assert page.total == sum(p.status == "adopted" for p in pets) and not page.total_capped


def test_the_scope_with_fewest_pets_is_walked(stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]]) -> None:
    _, repo, pets = stores[400]
    counts = repo.counts(Reads())
    dogs = sum(p.type == "dog" for p in pets)
    adopted = sum(p.status == "adopted" for p in pets)
    chosen = plan(make_search(PetFilter(type=["dog"], status="adopted"), None, counts), counts, READ_BUDGET)
    assert chosen.scope == ("type" if dogs <= adopted else "status")
    beagles = plan(make_search(PetFilter(type=["dog"], breed="Beagle"), None, counts), counts, READ_BUDGET)
    assert beagles.scope == "breed" and beagles.walk is not None and beagles.walk.sources[0].partition == "beagle"
    none = plan(make_search(PetFilter(type=["dragon"], sort="price_asc"), None, counts), counts, READ_BUDGET)
    assert none.walk is None and none.exact_total == 0, "a type the counts say is absent reads nothing"


def test_the_plan_is_logged_at_debug(stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]],
                                     caplog: pytest.LogCaptureFixture) -> None:
    from petstore.observability import logger

    _, repo, _ = stores[150]
    logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="petstore"):
            repo.search(PetFilter(sort="age_asc", min_price=2990, max_price=3000), 5, None, Reads())
    finally:
        logger.setLevel(logging.INFO)
    record = next(r for r in caplog.records if r.getMessage() == "search plan")
    assert record.levelno == logging.DEBUG and record.answered_by == "price range first"  # type: ignore[attr-defined]
    plan_logged = record.plan  # type: ignore[attr-defined]
    assert plan_logged["probes"][0].startswith("price range first: ByStatusPrice[")
    assert plan_logged["walk"].startswith("walk ByStatusAge in order")


# ------------------------------------------------------------------------------ totals


def test_totals(stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]]) -> None:
    service, _, pets = stores[400]
    f = PetFilter(type=["dog", "cat"], status="available")
    first = service.search(f, 5, None, 0)
    assert first.page.total == len(expected(pets, f)) and not first.page.total_capped
    uncounted = Reads()
    service._pets.search(f, 5, None, uncounted, count=False)
    assert first.items_read == uncounted.used, "the counts answer the total: nothing read to count"

    limited = service.search(PetFilter(type=["dog"], limit=3), 2, None, 0)
    assert limited.page.total == 3 and not limited.page.total_capped

    wide = PetFilter(min_age=0.5, sex="female")  # many matches, nothing the counts know
    page = service.search(wide, 5, None, 0)
    assert page.page.total_capped and 5 < page.page.total <= len(expected(pets, wide))
    following = service.resume(cursors.decode(page.page.next_cursor or ""), 5)
    assert (following.page.total, following.page.total_capped) == (page.page.total, True), "later pages carry the count"


# ------------------------------------------------------------------------------ name and breed search


@pytest.mark.parametrize("text", ["ma", "MA", "emi", "Émi", "zo", "retriever", "golden", "lab", "zz"])
def test_text_search_by_name_or_breed(stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]], text: str) -> None:
    service, _, pets = stores[150]
    check_against_brute_force(service, pets, PetFilter(), text, page_size=7, budget=60)
    check_against_brute_force(service, pets, PetFilter(type=["dog"], sort="price_desc"), text, page_size=7, budget=60)


def test_text_search_reads_the_name_range_and_the_breeds_it_names(
    stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]],
) -> None:
    _, repo, _ = stores[400]
    counts = repo.counts(Reads())
    chosen = plan(make_search(PetFilter(), "golden", counts), counts, READ_BUDGET)
    assert chosen.walk is not None
    indexes = {(s.index.name, s.partition) for s in chosen.walk.sources}
    assert ("ByBreedName", "golden retriever") in indexes
    assert {s.low for s in chosen.walk.sources if s.index.name == "ByStatusName"} == {"golden"}


# ------------------------------------------------------------------------------ over HTTP


def test_get_pets_pages_with_bound_cursors(api: Api) -> None:
    for i in range(9):
        status, _, _ = api.call("POST", "/pets", body={"name": f"Dog {i}", "type": "dog", "age": 1 + i, "price": 100 * (9 - i)})
        assert status == 201
    api.call("POST", "/pets", body={"name": "Tom", "type": "cat", "age": 2, "price": 50})
    seen: list[str] = []
    cursor = None
    while True:
        query = [("type", "dog"), ("sort", "price_asc"), ("page_size", "4")] + ([("cursor", cursor)] if cursor else [])
        status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
        assert status == 200, body
        assert body["total"] == 9 and body["total_capped"] is False
        assert body["meta"]["items_scanned"] >= len(body["pets"]) and body["meta"]["more_to_search"] is False
        seen += [pet["name"] for pet in body["pets"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        other = [("type", "cat"), ("sort", "price_asc"), ("page_size", "4"), ("cursor", cursor)]
        status, error, _ = api.call("GET", "/pets", query=other, claims=USER_CLAIMS)
        assert status == 400 and error["error"]["code"] == "BadRequest", "a cursor can't be replayed against another filter"
        status, error, _ = api.call("GET", "/pets", query=[*query[:3], ("q", "dog"), ("cursor", cursor)], claims=USER_CLAIMS)
        assert status == 400, "nor against another search text"
    assert seen == [f"Dog {i}" for i in range(8, -1, -1)]


def test_default_order_is_by_name(api: Api) -> None:
    for name in ("rex", "Émile", "bella", "Zoë", "Bella"):
        api.call("POST", "/pets", body={"name": name, "type": "dog", "age": 1, "price": 10})
    status, body, _ = api.call("GET", "/pets", claims=USER_CLAIMS)
    assert status == 200
    assert [p["name"].lower() for p in body["pets"]][:2] == ["bella", "bella"]
    assert [p["name"] for p in body["pets"]][2:] == ["Émile", "rex", "Zoë"]


def test_q_on_get_pets(api: Api) -> None:
    api.call("POST", "/pets", body={"name": "Goldie", "type": "fish", "breed": "Goldfish", "age": 1, "price": 5})
    api.call("POST", "/pets", body={"name": "Sunny", "type": "dog", "breed": "Golden Retriever", "age": 1, "price": 900})
    api.call("POST", "/pets", body={"name": "Rex", "type": "dog", "breed": "Beagle", "age": 1, "price": 300})
    status, body, _ = api.call("GET", "/pets", query="q=GOLD", claims=USER_CLAIMS)
    assert status == 200 and [p["name"] for p in body["pets"]] == ["Goldie", "Sunny"] and body["total"] == 2
    status, body, _ = api.call("GET", "/pets", query="q=retr&sort=price_asc", claims=USER_CLAIMS)
    assert [p["name"] for p in body["pets"]] == ["Sunny"]
    status, body, _ = api.call("GET", "/pets", query="q=" + "x" * 101, claims=USER_CLAIMS)
    assert status == 422


@pytest.mark.parametrize("query", ["sort=price_asc", "type=dog", "status=adopted", "q=re", "min_age=1&sex=male"])
def test_no_request_scans(api: Api, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    api.call("POST", "/pets", body={"name": "Rex", "type": "dog", "age": 2, "price": 10, "sex": "male"})
    pets = api.module.container.pets

    def refuse(**kwargs: Any) -> Any:
        raise AssertionError("a request scanned the table")

    monkeypatch.setattr(pets.ddb, "scan", refuse)
    status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
    assert status == 200, body
    status, body, _ = api.call("POST", "/pets/query", body={"query": "cheap dogs under $500"}, claims=USER_CLAIMS)
    assert status == 200, body
    status, body, _ = api.call("GET", "/inventory")
    assert status == 200, body


def test_counts_follow_every_write(stores: dict[int, tuple[PetService, DynamoPetRepository, list[Pet]]], api: Api) -> None:
    from tests.conftest import ADMIN_CLAIMS

    rng = random.Random(5)
    live: dict[str, dict[str, Any]] = {}
    for step in range(40):
        action = rng.choice(["create", "create", "update", "delete"]) if live else "create"
        if action == "create":
            pet_type = rng.choice(TYPES)
            body = {"name": f"P{step}", "type": pet_type, "breed": rng.choice(BREEDS[pet_type] + [None]), "age": 1,
                    "price": 1, "status": rng.choice(["available", "pending", "adopted"])}
            status, pet, _ = api.call("POST", "/pets", body=body, claims=ADMIN_CLAIMS)
            assert status == 201
            live[pet["id"]] = pet
        elif action == "update":
            pet_id = rng.choice(sorted(live))
            pet_type = rng.choice(TYPES)
            change = rng.choice([{"status": rng.choice(["available", "pending", "adopted"])}, {"type": pet_type, "breed": None},
                                 {"breed": rng.choice(BREEDS[live[pet_id]["type"]])}, {"price": 2}])
            status, pet, _ = api.call("PATCH", f"/pets/{pet_id}", body=change)
            assert status == 200, pet
            live[pet_id] = pet
        else:
            pet_id = rng.choice(sorted(live))
            assert api.call("DELETE", f"/pets/{pet_id}")[0] == 204
            del live[pet_id]
    status, inventory, _ = api.call("GET", "/inventory")
    assert status == 200
    assert inventory["by_status"] == {s: sum(p["status"] == s for p in live.values()) for s in ("available", "pending", "adopted")}
    by_type: dict[str, int] = {}
    for pet in live.values():
        by_type[pet["type"]] = by_type.get(pet["type"], 0) + 1
    assert inventory["by_type"] == dict(sorted(by_type.items()))
    counts: StoreCounts = api.module.container.pets.counts(Reads())
    breeds = {(p["type"], p["breed"]) for p in live.values()}
    assert set(counts.type_breed_counts()) == breeds


def test_inventory_is_for_staff(api: Api) -> None:
    status, body, _ = api.call("GET", "/inventory", claims=USER_CLAIMS)
    assert status == 403 and body["error"]["code"] == "Forbidden"
    status, body, _ = api.call("GET", "/inventory", claims=None)
    assert status == 401
    status, body, _ = api.call("POST", "/inventory")
    assert status == 405
    status, body, _ = api.call("GET", "/inventory")
    assert status == 200 and body == {"by_status": {"available": 0, "pending": 0, "adopted": 0}, "by_type": {}}


def test_more_status_shards_answer_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store-wide indexes' write sharding is one constant: with more shards, reads merge more partitions."""
    import boto3
    from moto import mock_aws

    from petstore.store import keys, planner
    from petstore_dev.template import create_tables

    monkeypatch.setattr(keys, "STATUS_SHARDS", 3)
    monkeypatch.setattr(planner, "STATUS_SHARDS", 3)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        table = create_tables(ddb, prefix="shards")["PETS_TABLE"]
        pets = make_pets(120, seed=9)
        load(ddb, table, pets)
        service = PetService(DynamoPetRepository(table, ddb))
        assert len({keys.status_shard(p.status, p.id) for p in pets}) == 9
        for f, text in ((PetFilter(), None), (PetFilter(status="available", sort="price_desc"), None),
                        (PetFilter(sex="female", min_age=1), None), (PetFilter(), "ma")):
            check_against_brute_force(service, pets, f, text, page_size=7, budget=40)
