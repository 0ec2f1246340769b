"""The read budget holds on a grid of every kind of filter shape (the bench runs the full grid at 1,000 and 10,000 pets)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks.fast_moto import faster_index_queries
from benchmarks.grid import inventory, shapes
from petstore.models import Pet
from petstore.reads import Reads
from petstore.service import PetService
from petstore.store.dynamodb import DynamoPetRepository
from petstore.store.maintenance import load
from tests.test_search import check_against_brute_force

BUDGET = 50
PAGE = 10


@pytest.fixture(scope="module")
def store() -> Iterator[tuple[PetService, DynamoPetRepository, list[Pet]]]:
    import boto3
    from moto import mock_aws

    from petstore_dev.template import create_tables

    with pytest.MonkeyPatch.context() as mp, mock_aws():
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            mp.setenv(name, "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        table = create_tables(ddb, prefix="budget")["PETS_TABLE"]
        pets = inventory(300, seed=11)
        load(ddb, table, pets)
        repo = DynamoPetRepository(table, ddb)
        yield PetService(repo), repo, pets


GRID = list(shapes(full=False))


def test_the_grid_covers_every_dimension() -> None:
    named = {field for shape in GRID for field, value in shape.pet_filter if value not in (None, False)}
    assert {"type", "breed", "min_price", "min_age", "status", "sort", "size", "good_with_cats"} <= named
    assert any(shape.text for shape in GRID)


def test_every_shape_pages_within_the_budget(store: tuple[PetService, DynamoPetRepository, list[Pet]]) -> None:
    service, _, pets = store
    worst = 0
    with faster_index_queries():
        for shape in GRID:
            listings = check_against_brute_force(service, pets, shape.pet_filter, shape.text, PAGE, BUDGET)
            worst = max(worst, *(listing.items_read for listing in listings))
    assert worst <= BUDGET


def test_the_fast_index_queries_answer_as_moto_does(store: tuple[PetService, DynamoPetRepository, list[Pet]]) -> None:
    """The bench (and the grid above) run moto with its index queries sped up: same pets, same reads."""
    _, repo, _ = store

    def answers() -> list[tuple[object, ...]]:
        found = []
        for shape in GRID[::6]:
            reads = Reads(BUDGET)
            page = repo.search(shape.pet_filter, PAGE, None, reads, text=shape.text)
            found.append(([p.id for p in page.pets], page.next_position, reads.used, page.total, page.more_to_search))
        return found

    plain = answers()
    with faster_index_queries():
        fast = answers()
    assert fast == plain
