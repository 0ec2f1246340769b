"""Every cursor a client can send that we did not issue is a 400, on GET /pets and on POST /pets/query."""

from __future__ import annotations

import base64
import json

import pytest

from petstore import cursors
from petstore.errors import BadRequest
from petstore.models import PetFilter
from tests.conftest import USER_CLAIMS, Api, new_pet


def _token(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


NESTED = _token('{"v":2,"f":' + "[" * 1500 + "]" * 1500 + "}")  # deeper than json's recursion limit, under 4,096 characters
MALFORMED = [
    NESTED,
    _token('{"v":2,"f":{},"p":"x","n":0,"x":{"a":' + "[" * 1400 + "]" * 1400 + "}}"),
    _token('{"v":1,"f":{},"p":"x","n":0}'),  # a cursor of the earlier layout
    _token('{"v":2,"f":{"type":["dog"]},"p":"x","n":-1}'),
    _token('{"v":2,"f":{},"p":"x","n":true}'),
    _token('{"v":2,"f":{},"p":"x","n":0,"t":"many"}'),
    _token('{"v":2,"f":{"colour":"red"},"p":"x","n":0}'),
    _token('{"v":2,"f":{},"p":"rex#7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f","n":0,"w":"yes"}'),
    "eyJ" + "A" * 100,
]
# Well formed, but no position the search's order has: refused by the store.
FOREIGN = [_token('{"v":2,"f":{},"p":"0000000100#not-an-id","n":0}'),
           _token('{"v":2,"f":{"sort":"age_asc"},"p":"0000000100#7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f","n":0}')]


def test_the_nested_cursor_fits_the_parameter() -> None:
    assert len(NESTED) <= 4096 and NESTED.startswith("eyJ")


@pytest.mark.parametrize("token", MALFORMED)
def test_decode_refuses_with_a_400(token: str) -> None:
    with pytest.raises(BadRequest):
        cursors.decode(token)


@pytest.mark.parametrize("token", MALFORMED + FOREIGN)
def test_get_pets_answers_400(api: Api, token: str) -> None:
    api.call("POST", "/pets", body=new_pet())
    status, body, _ = api.call("GET", "/pets", query=[("cursor", token)], claims=USER_CLAIMS)
    assert status == 400, body
    assert body["error"]["code"] == "BadRequest"


@pytest.mark.parametrize("token", MALFORMED + FOREIGN)
def test_post_query_answers_400(api: Api, token: str) -> None:
    status, body, _ = api.call("POST", "/pets/query", body={"query": "dogs", "cursor": token}, claims=USER_CLAIMS)
    assert status == 400, body
    assert body["error"]["code"] == "BadRequest"


def test_a_position_in_another_order_is_refused(api: Api) -> None:
    api.call("POST", "/pets", body=new_pet())
    by_price = cursors.encode(PetFilter(sort="price_asc"), "rex#7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f", 1)
    status, body, _ = api.call("GET", "/pets", query=[("sort", "price_asc"), ("cursor", by_price)], claims=USER_CLAIMS)
    assert status == 400 and "does not belong" in body["error"]["message"]


def test_a_cursor_round_trips() -> None:
    f = PetFilter(type=["dog"], sex="female", good_with_cats=True, sort="age_desc")
    token = cursors.encode(f, "00150#7d9c8f1e-3b2a-4c5d-9e8f-0a1b2c3d4e5f", 20, text="max", total=120, total_capped=True,
                           walk=True, source="llm")
    decoded = cursors.decode(token)
    assert (decoded.pet_filter, decoded.text, decoded.total, decoded.total_capped, decoded.walk, decoded.extra) == (
        f, "max", 120, True, True, {"source": "llm"})
    assert json.loads(base64.urlsafe_b64decode(token + "==="))["v"] == cursors.VERSION
