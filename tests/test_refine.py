"""Conversation refinement: what a new query names replaces, what it does not name carries over."""

from __future__ import annotations

from typing import Any

import pytest

from petstore.models import PetFilter
from petstore.nlq.refine import keyword_filter, refine
from petstore.nlq.vocabulary import Vocabulary

STORE = Vocabulary.from_pets(
    [("dog", "Golden Retriever"), ("dog", "Beagle"), ("cat", "Siamese"), ("bird", None), ("rabbit", None)]
)


def converse(*turns: str) -> PetFilter:
    current: PetFilter | None = None
    for text in turns:
        current = keyword_filter(text, STORE, current)
    assert current is not None
    return current


def exactly(result: PetFilter, expected: dict[str, Any]) -> None:
    assert result.model_dump(exclude_defaults=True) == PetFilter(**expected).model_dump(exclude_defaults=True)
    assert all(getattr(result, name) is not None for name in result.model_fields_set)


def same(result: PetFilter, expected: dict[str, Any]) -> None:
    expected = {"status": "available", **expected}  # a conversation that names no status looks at available pets
    assert result.model_dump(exclude_defaults=True) == PetFilter(**expected).model_dump(exclude_defaults=True)
    assert all(getattr(result, name) is not None for name in result.model_fields_set)


CONVERSATIONS = [
    # the contract's example
    (["dogs under 600", "what about cats?"], {"type": ["cat"], "max_price": 600, "max_price_strict": True}),
    (["dogs under $600", "and cats?"], {"type": ["cat"], "max_price": 600, "max_price_strict": True}),
    (["cheap dogs", "only the available ones"], {"type": ["dog"], "sort": "price_asc", "status": "available"}),
    (["dogs", "under 300"], {"type": ["dog"], "max_price": 300, "max_price_strict": True}),
    (["dogs under 300", "make it up to 400"], {"type": ["dog"], "max_price": 400}),
    # One side of a range narrows it while the two sides overlap; otherwise it is a new range.
    (["dogs under 300", "over 100 then"],
     {"type": ["dog"], "min_price": 100, "min_price_strict": True, "max_price": 300, "max_price_strict": True}),
    (["cats over 500", "and under 1000?"],
     {"type": ["cat"], "min_price": 500, "min_price_strict": True, "max_price": 1000, "max_price_strict": True}),
    (["dogs older than 2 years", "and younger than 6?"],
     {"type": ["dog"], "min_age": 2, "min_age_strict": True, "max_age": 6, "max_age_strict": True}),
    (["dogs between 500 and 1000", "under 300"], {"type": ["dog"], "max_price": 300, "max_price_strict": True}),
    (["dogs over 500", "under 500"], {"type": ["dog"], "max_price": 500, "max_price_strict": True}),
    (["dogs under 300", "between 100 and 250"], {"type": ["dog"], "min_price": 100, "max_price": 250}),
    (["cats younger than 2 years", "sorted by price"],
     {"type": ["cat"], "max_age": 2, "max_age_strict": True, "sort": "price_asc"}),
    (["cats sorted by price", "oldest first instead"], {"type": ["cat"], "sort": "age_desc"}),
    (["golden retrievers", "what about beagles?"], {"type": ["dog"], "breed": "Beagle"}),
    (["golden retrievers under 900", "any cats?"], {"type": ["cat"], "max_price": 900, "max_price_strict": True}),
    (["cats", "siamese ones"], {"type": ["cat"], "breed": "Siamese"}),
    (["the cheapest dog", "and the cheapest cat?"], {"type": ["cat"], "sort": "price_asc", "limit": 1}),
    (["top 3 dogs", "show me 5"], {"type": ["dog"], "limit": 5}),
    (["dogs under 600", "start over"], {}),
    (["dogs under 600", "new search: cats"], {"type": ["cat"]}),
    (["dogs under 600", "never mind, birds"], {"type": ["bird"]}),
    (["dogs under 600", "reset", "rabbits"], {"type": ["rabbit"]}),
    (["dogs under 600", "thanks!"], {"type": ["dog"], "max_price": 600, "max_price_strict": True}),
    (["perros baratos", "¿y gatos?"], {"type": ["cat"], "sort": "price_asc"}),
    (["chiens de moins de 300 euros", "et des chats ?"], {"type": ["cat"], "max_price": 300, "max_price_strict": True}),
    (["Hunde unter 500", "und Katzen?"], {"type": ["cat"], "max_price": 500, "max_price_strict": True}),
    (["adopted cats", "dogs"], {"type": ["dog"], "status": "adopted"}),
    (["puppies 1-3 years old", "cheapest first"], {"type": ["dog"], "min_age": 1, "max_age": 3, "sort": "price_asc"}),
]


@pytest.mark.parametrize(("turns", "expected"), CONVERSATIONS, ids=[" / ".join(t) for t, _ in CONVERSATIONS])
def test_conversation(turns: list[str], expected: dict[str, Any]) -> None:
    same(converse(*turns), expected)


def test_no_previous_returns_what_is_named() -> None:
    named = PetFilter(type=["dog"])
    assert refine(None, named) is named


def test_start_over_ignores_previous() -> None:
    assert refine(PetFilter(type=["dog"], max_price=500), PetFilter(type=["cat"]), start_over=True) == PetFilter(
        type=["cat"]
    )


def test_empty_named_keeps_previous() -> None:
    previous = PetFilter(type=["dog"], min_age=1, sort="age_asc", limit=2, status="available")
    assert refine(previous, PetFilter()) == previous


def test_explicit_none_is_not_named() -> None:
    result = refine(PetFilter(type=["dog"], max_price=500), PetFilter(type=None, sort=None, min_age=2))
    exactly(result, {"type": ["dog"], "max_price": 500, "min_age": 2})


def test_type_without_breed_clears_breed() -> None:
    result = refine(PetFilter(type=["dog"], breed="Beagle"), PetFilter(type=["cat"]))
    exactly(result, {"type": ["cat"]})


def test_breed_with_its_type_replaces_type() -> None:
    result = refine(PetFilter(type=["cat", "dog"]), PetFilter(type=["dog"], breed="Beagle"))
    exactly(result, {"type": ["dog"], "breed": "Beagle"})


def test_price_group_replaces_as_a_unit() -> None:
    previous = PetFilter(min_price=700, min_price_strict=True)
    result = refine(previous, PetFilter(max_price=500))
    exactly(result, {"max_price": 500})  # the carried 700 minimum would contradict; the group is replaced whole


def test_strict_flag_alone_names_its_group() -> None:
    result = refine(PetFilter(max_age=3, min_price=10), PetFilter(max_age_strict=True, max_age=2))
    exactly(result, {"max_age": 2, "max_age_strict": True, "min_price": 10})


def test_a_clashing_carried_group_is_dropped_rather_than_raising() -> None:
    broken = PetFilter.model_construct(min_price=900.0, max_price=100.0, type=["dog"])  # skipped validation
    result = refine(broken, PetFilter(sort="price_asc"))
    assert result.sort == "price_asc"
    assert result.min_price is None and result.max_price is None


def test_result_names_only_what_either_filter_set() -> None:
    result = refine(PetFilter(type=["dog"]), PetFilter(max_price=300, max_price_strict=True))
    assert result.model_fields_set == {"type", "max_price", "max_price_strict"}
    again = refine(result, PetFilter(sort="price_desc"))
    assert again.model_fields_set == {"type", "max_price", "max_price_strict", "sort"}


def test_a_new_subject_with_its_own_range_does_not_inherit_a_pick() -> None:
    picked = PetFilter(type=["cat"], sort="age_desc", limit=1)
    follow_up = PetFilter(type=["dog"], min_price=200, max_price=800)
    assert refine(picked, follow_up) == PetFilter(type=["dog"], min_price=200, max_price=800, sort="age_desc")
    assert refine(picked, PetFilter(type=["dog"])) == PetFilter(type=["dog"], sort="age_desc", limit=1)
