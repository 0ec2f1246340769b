"""What adoption sites filter on: sex, size, good with children/dogs/cats, and a plain-text description."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import USER_CLAIMS, Api, new_pet

FULL = new_pet(sex="female", size="small", good_with={"children": True, "dogs": False, "cats": None},
               description="Calm and gentle.\nLoves long walks.")


def test_attributes_are_stored_and_shown(api: Api) -> None:
    status, pet, _ = api.call("POST", "/pets", body=FULL)
    assert status == 201, pet
    assert (pet["sex"], pet["size"]) == ("female", "small")
    assert pet["good_with"] == {"children": True, "dogs": False, "cats": None}
    assert pet["description"] == "Calm and gentle.\nLoves long walks."
    _, fetched, _ = api.call("GET", f"/pets/{pet['id']}", claims=USER_CLAIMS)
    assert fetched == pet
    _, listing, _ = api.call("GET", "/pets", claims=USER_CLAIMS)
    assert listing["pets"] == [pet]


def test_a_pet_without_them_says_unknown(api: Api) -> None:
    status, pet, _ = api.call("POST", "/pets", body=new_pet())
    assert status == 201
    assert pet["sex"] is None and pet["size"] is None and pet["description"] is None
    assert pet["good_with"] == {"children": None, "dogs": None, "cats": None}


def test_patch_changes_what_it_names_and_null_clears(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=FULL)
    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"good_with": {"cats": True}, "size": None})
    assert status == 200, changed
    assert changed["good_with"] == {"children": True, "dogs": False, "cats": True}, "members not named keep their value"
    assert changed["size"] is None and changed["sex"] == "female" and changed["description"] == FULL["description"]
    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"good_with": {"children": None}, "description": None})
    assert changed["good_with"] == {"children": None, "dogs": False, "cats": True} and changed["description"] is None
    status, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"good_with": None, "sex": "male"})
    assert changed["good_with"] == {"children": None, "dogs": None, "cats": None} and changed["sex"] == "male"
    assert changed["version"] == 4
    _, fetched, _ = api.call("GET", f"/pets/{pet['id']}")
    assert fetched == changed


@pytest.mark.parametrize("change", [
    {"sex": "unknown"}, {"size": "huge"}, {"good_with": {"horses": True}}, {"good_with": {"cats": "yes"}},
    {"good_with": True}, {"description": "x" * 2001}, {"description": "evil\u202eexe.txt"}, {"description": "bell\x07"},
    {"description": "isolate\u2066x\u2069"}, {"description": 5},
])
def test_bad_values_are_422_and_change_nothing(api: Api, change: dict[str, Any]) -> None:
    _, pet, _ = api.call("POST", "/pets", body=FULL)
    status, body, _ = api.call("PATCH", f"/pets/{pet['id']}", body=change)
    assert status == 422, body
    assert body["error"]["code"] == "ValidationError"
    status, body, _ = api.call("POST", "/pets", body={**new_pet(), **change})
    assert status == 422, body
    _, current, _ = api.call("GET", f"/pets/{pet['id']}")
    assert current == pet


def test_description_is_plain_text(api: Api) -> None:
    text = "<script>alert(1)</script> & \"quotes\" — ünïcödé 🐶\r\nline two\ttabbed"
    status, pet, _ = api.call("POST", "/pets", body=new_pet(description=text))
    assert status == 201
    assert pet["description"] == text.replace("\r\n", "\n"), "kept as text (the page renders it as text), newlines normalised"
    status, pet, _ = api.call("POST", "/pets", body=new_pet(description="   "))
    assert pet["description"] is None


def test_filters(api: Api) -> None:
    pets = [
        new_pet(name="A", sex="female", size="small", good_with={"children": True, "cats": True}),
        new_pet(name="B", sex="male", size="small", good_with={"children": False, "dogs": True}),
        new_pet(name="C", sex="female", size="large", good_with={"children": True, "dogs": False}),
        new_pet(name="D", type="cat", breed="Siamese"),
    ]
    for pet in pets:
        assert api.call("POST", "/pets", body=pet)[0] == 201

    def names(query: str) -> list[str]:
        status, body, _ = api.call("GET", "/pets", query=query, claims=USER_CLAIMS)
        assert status == 200, body
        return [p["name"] for p in body["pets"]]

    assert names("sex=female") == ["A", "C"]
    assert names("size=small&sex=male") == ["B"]
    assert names("good_with_children=true") == ["A", "C"]
    assert names("good_with_children=false") == ["B"], "false means known not to be, not unknown"
    assert names("good_with_dogs=false&type=dog") == ["C"]
    assert names("good_with_cats=true&sort=price_desc") == ["A"]
    assert names("good_with_dogs=true&good_with_cats=true") == []
    status, body, _ = api.call("GET", "/pets", query="sex=other", claims=USER_CLAIMS)
    assert status == 422
    status, body, _ = api.call("GET", "/pets", query="good_with_cats=maybe", claims=USER_CLAIMS)
    assert status == 422


def test_openapi_documents_them(api: Api) -> None:
    _, doc, _ = api.call("GET", "/openapi.json", claims=None)
    params = {p["name"]: p for p in doc["paths"]["/pets"]["get"]["parameters"]}
    assert {"sex", "size", "good_with_children", "good_with_dogs", "good_with_cats", "q"} <= set(params)
    sex = params["sex"]["schema"]
    sex = doc["components"]["schemas"][sex["$ref"].rsplit("/", 1)[-1]] if "$ref" in sex else sex
    assert sex["enum"] == ["female", "male"]
    page = doc["components"]["schemas"]["PetPage"]["properties"]
    assert {"total", "total_capped", "meta"} <= set(page)
    assert "/inventory" in doc["paths"] and "403" in doc["paths"]["/inventory"]["get"]["responses"]
    pet = doc["components"]["schemas"]["Pet"]["properties"]
    assert {"sex", "size", "good_with", "description"} <= set(pet)
