"""Requests a fuzzer or a careless client sends: each gets a clear 4xx or the right answer, never a 5xx."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from petstore.models import PetFilter
from petstore.nlq.bedrock import _translation
from petstore.nlq.refine import refine
from tests.conftest import LambdaContext, USER_CLAIMS, Api, id_claims, new_pet
from tests.fake_bedrock import tool_answer


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_wrong_methods_on_the_query_route_are_405(api: Api, method: str) -> None:
    status, body, headers = api.call(method, "/pets/query", body={"query": "dogs"} if method != "GET" else None)
    assert status == 405 and body["error"]["code"] == "MethodNotAllowed"
    assert headers["Allow"] == "POST"


@pytest.mark.parametrize(("method", "path", "body"), [("POST", "/pets", {}), ("PATCH", "/pets/{id}", {"price": -1}),
                                                       ("DELETE", "/pets/{id}", None)])
def test_a_non_admin_write_is_403_whatever_the_body(api: Api, method: str, path: str, body: Any) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet())
    status, answer, _ = api.call(method, path.replace("{id}", pet["id"]), body=body, claims=USER_CLAIMS)
    assert status == 403 and answer["error"]["code"] == "Forbidden"


def test_deeply_nested_json_is_400(api: Api) -> None:
    status, body, _ = api.call("POST", "/pets/query", raw="[" * 20000 + "]" * 20000)
    assert status == 400 and body["error"]["code"] == "BadRequest"


def test_a_body_that_is_not_utf8_is_400(api: Api) -> None:
    from petstore_dev.events import rest_event

    raw = json.dumps(new_pet()).encode("utf-16")
    event = rest_event("POST", "/pets", headers={"Content-Type": "application/json"}, body=raw, binary=True,
                       claims=id_claims("a", **{"cognito:groups": "admins"}))
    response = api.module.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 400


def test_json_sent_as_form_or_text_is_still_json(api: Api) -> None:
    status, pet, _ = api.call("POST", "/pets", body=new_pet(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 201 and pet["name"] == "Rex"


def test_an_uppercase_id_finds_the_pet(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet())
    status, found, _ = api.call("GET", f"/pets/{pet['id'].upper()}")
    assert status == 200 and found["id"] == pet["id"]


def test_too_many_types_is_422(api: Api) -> None:
    query = [("type", f"kind{chr(97 + i % 26)}{chr(97 + i // 26)}") for i in range(30)]
    status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
    assert status == 422


def test_tiny_bounds_on_a_residual_filter(api: Api) -> None:
    api.call("POST", "/pets", body=new_pet(price=0))
    api.call("POST", "/pets", body=new_pet(price=0.01))
    status, body, _ = api.call("GET", "/pets", query="min_price=1e-200&sort=age_asc", claims=USER_CLAIMS)
    assert status == 200 and [p["price"] for p in body["pets"]] == [0.01]


def test_a_new_breed_is_understood_at_once(api: Api) -> None:
    api.call("POST", "/pets", body=new_pet(name="Rex"))
    status, first, _ = api.call("POST", "/pets/query", body={"query": "beagles"}, claims=USER_CLAIMS)
    assert status == 200
    api.call("POST", "/pets", body=new_pet(name="Hachi", breed="Shiba  Inu"))
    status, body, _ = api.call("POST", "/pets/query", body={"query": "shiba inus"}, claims=USER_CLAIMS)
    assert status == 200 and [p["name"] for p in body["pets"]] == ["Hachi"]
    assert body["pets"][0]["breed"] == "Shiba Inu"


def test_model_defaults_do_not_erase_what_a_conversation_carries() -> None:
    answer = tool_answer({"type": ["cat"], "breed": None, "min_price_strict": False, "max_price_strict": False, "limit": None})
    named = _translation(answer).named
    assert refine(PetFilter(type=["dog"], max_price=600, max_price_strict=True), named) == PetFilter(
        type=["cat"], max_price=600, max_price_strict=True
    )


def test_a_model_answer_is_mapped_onto_the_store_words() -> None:
    from petstore.nlq.interpreter import in_store_words
    from petstore.nlq.vocabulary import Vocabulary

    vocabulary = Vocabulary.from_pets([("dog", "Golden Retriever"), ("cat", "Siamese")])
    named = in_store_words(PetFilter(type=["puppy", "cats"], breed="golden retrievers"), vocabulary)
    assert named.type == ["cat", "dog"] and named.breed == "Golden Retriever"


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity"])
def test_not_a_number_is_not_a_price(api: Api, value: str) -> None:
    status, body, _ = api.call("GET", "/pets", query=f"min_price={value}", claims=USER_CLAIMS)
    assert status == 422 and body["error"]["code"] == "ValidationError", body
    status, body, _ = api.call("POST", "/pets", body='{"name": "Rex", "type": "dog", "age": 2, "price": NaN}')
    assert status in (400, 422), body


@pytest.mark.parametrize("query", ["", "   ", "\n\t "])
def test_a_blank_question_is_a_422(api: Api, query: str) -> None:
    status, body, _ = api.call("POST", "/pets/query", body={"query": query}, claims=USER_CLAIMS)
    assert status == 422 and body["error"]["code"] == "ValidationError", body
