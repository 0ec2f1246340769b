"""Searches answer from the right index, read little, page correctly, and agree with a brute-force filter."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from petstore.models import Pet, PetFilter, PetListParams, SortOrder
from petstore.store.dynamodb import DynamoPetRepository
from petstore.store.keys import plan_for
from tests.conftest import USER_CLAIMS, Api

TYPES = ["dog", "cat", "bird", "rabbit"]
BREEDS = {"dog": ["Beagle", "Golden Retriever"], "cat": ["Siamese", "Maine Coon"], "bird": ["Budgie"], "rabbit": [None]}


def _make_pets(count: int, seed: int = 7) -> list[Pet]:
    rng = random.Random(seed)
    pets = []
    for i in range(count):
        pet_type = rng.choice(TYPES)
        pets.append(Pet(
            id=str(uuid.UUID(int=rng.getrandbits(128))),
            name=f"Pet {i}", type=pet_type, breed=rng.choice(BREEDS[pet_type]),
            age=rng.choice([0.25, 0.5, 1, 2, 3, 3, 5, 8, 12.5]),
            price=rng.choice([5, 19.99, 100, 250, 499.99, 500, 500.01, 800, 1200]),
            status=rng.choice(["available", "available", "pending", "adopted"]),
            created_at="2026-01-01T00:00:00.000Z", updated_at="2026-01-01T00:00:00.000Z", version=1,
        ))
    return pets


@pytest.fixture
def stocked(aws_env: dict[str, str]) -> tuple[DynamoPetRepository, list[Pet]]:
    repo = DynamoPetRepository(aws_env["PETS_TABLE"])
    pets = _make_pets(80)
    for pet in pets:
        repo.insert(pet)
    return repo, pets


def _matches(pet: Pet, f: PetFilter) -> bool:
    def within(value: float, low: float | None, low_strict: bool, high: float | None, high_strict: bool) -> bool:
        if low is not None and (value <= low if low_strict else value < low):
            return False
        return not (high is not None and (value >= high if high_strict else value > high))

    return (
        (f.type is None or pet.type in f.type)
        and (f.breed is None or (pet.breed or "").lower() == f.breed.lower())
        and within(pet.price, f.min_price, f.min_price_strict, f.max_price, f.max_price_strict)
        and within(pet.age, f.min_age, f.min_age_strict, f.max_age, f.max_age_strict)
        and (f.status is None or pet.status == f.status)
    )


def _all_pages(repo: DynamoPetRepository, f: PetFilter, page_size: int) -> tuple[list[Pet], list[int]]:
    found: list[Pet] = []
    reads: list[int] = []
    position = None
    while True:
        page = repo.search(f, page_size, position)
        found.extend(page.pets)
        reads.append(page.items_read)
        if page.next_position is None:
            return found, reads
        position = page.next_position


def _random_filter(rng: random.Random) -> PetFilter:
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        kwargs["type"] = rng.sample(TYPES, rng.choice([1, 1, 2]))
    elif rng.random() < 0.2:
        kwargs["breed"] = rng.choice(["beagle", "Siamese", "MAINE COON"])
    if rng.random() < 0.5:
        low, high = sorted(rng.sample([0, 19.99, 100, 250, 500, 800, 1500], 2))
        kwargs.update(min_price=low, max_price=high, min_price_strict=rng.random() < 0.5, max_price_strict=rng.random() < 0.5)
    if rng.random() < 0.4:
        kwargs["max_age"] = rng.choice([0.5, 1, 3, 8])
        kwargs["max_age_strict"] = rng.random() < 0.5
    if rng.random() < 0.2:
        kwargs["status"] = "available"
    if rng.random() < 0.7:
        kwargs["sort"] = rng.choice(list(SortOrder))
    return PetFilter(**kwargs)


def _key(pet: Pet, sort: SortOrder) -> float:
    return pet.price if sort in (SortOrder.price_asc, SortOrder.price_desc) else pet.age


def test_random_filters_agree_with_brute_force(stocked: tuple[DynamoPetRepository, list[Pet]]) -> None:
    repo, pets = stocked
    rng = random.Random(2026)
    for _ in range(40):
        f = _random_filter(rng)
        found, _ = _all_pages(repo, f, page_size=rng.choice([3, 7, 50]))
        expected = {pet.id for pet in pets if _matches(pet, f)}
        assert [pet.id for pet in found if pet.id in expected] == [pet.id for pet in found], f"extra pets for {f}"
        assert len(found) == len(expected) and {pet.id for pet in found} == expected, f"wrong set for {f}"
        if f.sort is not None:
            values = [_key(pet, f.sort) for pet in found]
            descending = f.sort in (SortOrder.price_desc, SortOrder.age_desc)
            assert values == sorted(values, reverse=descending), f"wrong order for {f}"


@pytest.mark.parametrize(
    "f",
    [
        PetFilter(type=["dog"]),
        PetFilter(type=["cat"], max_price=500),
        PetFilter(min_price=100, max_price=800, sort="price_desc"),
        PetFilter(sort="age_asc"),
        PetFilter(breed="Beagle"),
        PetFilter(type=["dog"], min_age=1, max_age=8, sort="age_desc"),
    ],
)
def test_indexed_searches_read_at_most_a_page_more_than_they_return(stocked: tuple[DynamoPetRepository, list[Pet]], f: PetFilter) -> None:
    repo, _ = stocked
    assert plan_for(f) is not None, "typed, ranged and sorted searches use an index"
    page = repo.search(f, 5, None)
    assert page.items_read <= len(page.pets) + 1


def test_no_filter_scans_page_by_page(stocked: tuple[DynamoPetRepository, list[Pet]]) -> None:
    repo, pets = stocked
    assert plan_for(PetFilter()) is None
    found, reads = _all_pages(repo, PetFilter(), 10)
    assert sorted(p.id for p in found) == sorted(p.id for p in pets)
    assert all(read <= 11 for read in reads)


def test_get_pets_paginates_with_bound_cursors(api: Api, stocked: tuple[DynamoPetRepository, list[Pet]]) -> None:
    _, pets = stocked
    dogs = sorted((p for p in pets if p.type == "dog"), key=lambda p: (p.price, p.id))
    seen: list[str] = []
    cursor = None
    while True:
        query = [("type", "dog"), ("sort", "price_asc"), ("page_size", "4")] + ([("cursor", cursor)] if cursor else [])
        status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
        assert status == 200, body
        seen += [pet["id"] for pet in body["pets"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        other = [("type", "cat"), ("sort", "price_asc"), ("page_size", "4"), ("cursor", cursor)]
        status, error, _ = api.call("GET", "/pets", query=other, claims=USER_CLAIMS)
        assert status == 400, "a cursor can't be replayed against another filter"
    assert seen == [p.id for p in dogs]


@pytest.mark.parametrize("cursor", ["garbage", "e30", "eyJ2IjoxLCJmIjp7fSwicCI6IngiLCJuIjowfQ", "A" * 5000])
def test_bad_cursors_are_400(api: Api, cursor: str) -> None:
    status, body, _ = api.call("GET", "/pets", query=[("cursor", cursor)], claims=USER_CLAIMS)
    assert status in (400, 422) and "error" in body


@pytest.mark.parametrize(
    "query",
    ["min_price=-1", "max_age=101", "page_size=0", "page_size=101", "sort=random", "status=lost", "min_price=9&max_price=1",
     "type=Dog%201", "min_price=abc"],
)
def test_bad_query_parameters_are_422(api: Api, query: str) -> None:
    status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
    assert status == 422, body
    assert body["error"]["code"] == "ValidationError"


def test_repeated_type_parameter(api: Api, stocked: tuple[DynamoPetRepository, list[Pet]]) -> None:
    _, pets = stocked
    status, body, _ = api.call("GET", "/pets", query="type=dog&type=cat&page_size=100", claims=USER_CLAIMS)
    assert status == 200
    assert {p["type"] for p in body["pets"]} == {"dog", "cat"}
    assert len(body["pets"]) == sum(p.type in ("dog", "cat") for p in pets)


def test_list_params_model_maps_to_filter() -> None:
    params = PetListParams(type=["dog"], max_price=10, page_size=5)
    assert params.to_filter() == PetFilter(type=["dog"], max_price=10)
