"""POST /pets/query through the handler: keyword answers, sessions, paging, accounting."""

from __future__ import annotations

from typing import Any

import pytest

from petstore.store.counts import COUNT_SHARDS
from tests.conftest import USER_CLAIMS, Api, id_claims, new_pet

STOCK = [
    new_pet(name="Rex", type="dog", breed="Beagle", age=3, price=450),
    new_pet(name="Buddy", type="dog", breed="Golden Retriever", age=1, price=900),
    new_pet(name="Goldie", type="dog", breed="Golden Retriever", age=6, price=700),
    new_pet(name="Pip", type="dog", breed="Beagle", age=0.5, price=550),
    new_pet(name="Tom", type="cat", breed="Siamese", age=2, price=300),
    new_pet(name="Luna", type="cat", breed="Maine Coon", age=4, price=650),
    new_pet(name="Kiwi", type="bird", breed="Budgie", age=1, price=40),
    new_pet(name="Thumper", type="rabbit", breed="Holland Lop", age=2, price=80),
]


@pytest.fixture
def store(api: Api) -> Api:
    for pet in STOCK:
        status, body, _ = api.call("POST", "/pets", body=pet)
        assert status == 201, body
    return api


def ask(api: Api, query: str, **extra: Any) -> dict[str, Any]:
    status, body, _ = api.call("POST", "/pets/query", body={"query": query, **extra}, claims=USER_CLAIMS)
    assert status == 200, body
    return body


def names(body: dict[str, Any]) -> list[str]:
    return [pet["name"] for pet in body["pets"]]


def test_cheap_dogs(store: Api) -> None:
    body = ask(store, "cheap dogs")
    assert names(body) == ["Rex", "Pip", "Goldie", "Buddy"]
    assert body["source"] == "keyword" and body["filters"]["sort"] == "price_asc" and body["filters"]["type"] == ["dog"]
    assert body["session_id"] and body["meta"]["items_scanned"] >= 4


def test_the_most_expensive_dog_is_one(store: Api) -> None:
    assert names(ask(store, "the most expensive dog")) == ["Buddy"]


def test_breed_implies_type_and_sort_by_age(store: Api) -> None:
    body = ask(store, "golden retrievers sorted by age")
    assert names(body) == ["Buddy", "Goldie"]
    assert body["filters"]["breed"] == "Golden Retriever" and body["filters"]["type"] == ["dog"]


def test_under_excludes_the_bound(store: Api) -> None:
    assert names(ask(store, "cats under $300")) == []
    assert names(ask(store, "cats up to $300")) == ["Tom"]


def test_no_filter_words_return_every_pet(store: Api) -> None:
    body = ask(store, "show me what you have", page_size=100)
    assert sorted(names(body)) == sorted(p["name"] for p in STOCK)


def test_session_refines_and_starts_over(store: Api) -> None:
    first = ask(store, "dogs under 600")
    assert sorted(names(first)) == ["Pip", "Rex"]
    second = ask(store, "what about cats?", session_id=first["session_id"])
    assert second["session_id"] == first["session_id"]
    assert names(second) == ["Tom"] and second["filters"]["max_price"] == 600
    fresh = ask(store, "start over: birds", session_id=first["session_id"])
    assert names(fresh) == ["Kiwi"] and fresh["filters"]["max_price"] is None


def test_sessions_belong_to_their_user(store: Api) -> None:
    first = ask(store, "dogs under 600")
    other = id_claims("33333333-3333-3333-3333-333333333333", email="x@example.com")
    status, body, _ = store.call("POST", "/pets/query", body={"query": "what about cats?", "session_id": first["session_id"]}, claims=other)
    assert status == 200 and body["filters"]["max_price"] is None


def test_query_pages_with_its_cursor(store: Api) -> None:
    body = ask(store, "dogs sorted by price", page_size=3)
    assert names(body) == ["Rex", "Pip", "Goldie"] and body["next_cursor"]
    rest = ask(store, "dogs sorted by price", page_size=3, cursor=body["next_cursor"])
    assert names(rest) == ["Buddy"] and rest["next_cursor"] is None
    assert rest["filters"] == body["filters"]


def test_a_count_limits_across_pages(store: Api) -> None:
    body = ask(store, "top 3 most expensive pets", page_size=2)
    assert names(body) == ["Buddy", "Goldie"]
    rest = ask(store, "top 3 most expensive pets", page_size=2, cursor=body["next_cursor"])
    assert names(rest) == ["Luna"] and rest["next_cursor"] is None


@pytest.mark.parametrize(
    "body",
    [{}, {"query": ""}, {"query": "x" * 1001}, {"query": 5}, {"query": "dogs", "page_size": 0},
     {"query": "dogs", "session_id": "bad id!"}, {"query": "dogs", "extra": 1}],
)
def test_bad_queries_are_422(api: Api, body: dict[str, Any]) -> None:
    status, answer, _ = api.call("POST", "/pets/query", body=body, claims=USER_CLAIMS)
    assert status == 422 and answer["error"]["code"] == "ValidationError"


def test_query_needs_sign_in(api: Api) -> None:
    status, _, _ = api.call("POST", "/pets/query", body={"query": "dogs"}, claims=None)
    assert status == 401


# -- questions v2 through the handler --------------------------------------------------------------------

HELD = [
    new_pet(name="Sold", type="dog", breed="Beagle", age=4, price=100, status="adopted"),
    new_pet(name="Held", type="dog", breed="Beagle", age=4, price=120, status="pending"),
]


@pytest.fixture
def shop(store: Api) -> Api:
    for pet in HELD:
        status, body, _ = store.call("POST", "/pets", body=pet)
        assert status == 201, body
    return store


def test_a_question_without_a_status_offers_only_available_pets(shop: Api) -> None:
    body = ask(shop, "cheap beagles")
    assert names(body) == ["Rex", "Pip"] and body["filters"]["status"] == "available"
    assert names(ask(shop, "adopted beagles")) == ["Sold"]
    assert names(ask(shop, "reserved beagles")) == ["Held"]
    assert names(ask(shop, "cheap beagles, including adopted")) == ["Sold", "Held", "Rex", "Pip"]


def test_a_new_self_contained_question_does_not_inherit_the_old_filter(shop: Api) -> None:
    first = ask(shop, "cheap dogs under $500")
    second = ask(shop, "the most expensive bird", session_id=first["session_id"])
    assert names(second) == ["Kiwi"]
    assert second["filters"]["max_price"] is None and second["meta"]["carried"] == []


def test_a_follow_up_says_what_it_carried(shop: Api) -> None:
    first = ask(shop, "dogs under 600")
    second = ask(shop, "what about cats?", session_id=first["session_id"])
    assert names(second) == ["Tom"] and second["meta"]["carried"] == ["max_price"]
    wider = ask(shop, "any price", session_id=first["session_id"])
    assert sorted(names(wider)) == ["Luna", "Tom"] and wider["meta"]["carried"] == ["type"]


def test_an_unknown_subject_answers_no_pets_with_what_was_not_understood(shop: Api) -> None:
    first = ask(shop, "dogs under 600")
    body = ask(shop, "dragons", session_id=first["session_id"])
    assert body["pets"] == [] and body["next_cursor"] is None
    assert body["meta"]["items_scanned"] == COUNT_SHARDS, "only the store's counts (the vocabulary) were read, no pet"
    assert body["meta"]["unrecognised"] == ["dragons"]
    nonsense = ask(shop, "asdfgh qwerty", session_id=first["session_id"])
    assert nonsense["pets"] == [] and nonsense["meta"]["unrecognised"] == ["asdfgh", "qwerty"]
    # The conversation goes on from the last question that was understood.
    after = ask(shop, "what about cats?", session_id=first["session_id"])
    assert names(after) == ["Tom"] and after["filters"]["max_price"] == 600


def test_typos_are_corrected_and_said(shop: Api) -> None:
    body = ask(shop, "show me doggs under 600")
    assert sorted(names(body)) == ["Pip", "Rex"]
    assert body["meta"]["corrected"] == {"doggs": "dog"} and body["meta"]["unrecognised"] == []


def test_a_known_subject_with_a_word_not_understood_still_answers(shop: Api) -> None:
    body = ask(shop, "fluffy rabbits")
    assert names(body) == ["Thumper"] and body["meta"]["unrecognised"] == ["fluffy"]


def test_suggestions_name_what_the_store_holds(shop: Api) -> None:
    body = ask(shop, "retrievers")
    assert body["pets"] == [] and body["meta"]["suggestions"] == {"retrievers": "Golden Retriever"}


def test_a_cursor_stays_with_its_question(store: Api) -> None:
    first = ask(store, "dogs sorted by price", page_size=2)
    assert first["next_cursor"]
    status, body, _ = store.call("POST", "/pets/query", claims=USER_CLAIMS,
                                 body={"query": "birds", "cursor": first["next_cursor"], "page_size": 2})
    assert status == 400 and "another question" in body["error"]["message"]
    again = ask(store, "  Dogs sorted BY price ", page_size=2, cursor=first["next_cursor"])
    assert names(again) == ["Goldie", "Buddy"]
