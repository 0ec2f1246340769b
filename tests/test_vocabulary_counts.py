"""The question vocabulary comes from the store's counts: right after a write in any container, never a scan."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ADMIN_CLAIMS, USER_CLAIMS, Api, LambdaContext, new_pet


def _second_container(api: Api) -> Any:
    """Another warm container of the same function: its own caches, the same tables."""
    from petstore.api.container import Container
    from petstore.api.rest import build_resolver

    container = Container()
    return container, build_resolver(container)


def _ask(resolver: Any, query: str) -> dict[str, Any]:
    import json

    from petstore_dev.events import rest_event

    event = rest_event("POST", "/pets/query", body=json.dumps({"query": query}), headers={"Content-Type": "application/json"},
                       claims=USER_CLAIMS)
    response = resolver.resolve(event, LambdaContext())
    assert response["statusCode"] == 200, response
    return json.loads(response["body"])


def test_a_breed_added_in_another_container_is_understood_at_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api.call("POST", "/pets", body=new_pet(name="Rex"))
    other, resolver = _second_container(api)
    warm = _ask(resolver, "beagles")  # the other container is warm, its vocabulary built
    assert [p["name"] for p in warm["pets"]] == ["Rex"]

    status, _, _ = api.call("POST", "/pets", body=new_pet(name="Hachi", breed="Shiba Inu"), claims=ADMIN_CLAIMS)
    assert status == 201

    def refuse(**kwargs: Any) -> Any:
        raise AssertionError("the vocabulary was read with a scan")

    monkeypatch.setattr(other.pets.ddb, "scan", refuse)
    body = _ask(resolver, "shiba inus")
    assert [p["name"] for p in body["pets"]] == ["Hachi"]
    assert body["filters"]["breed"] == "Shiba Inu"
    assert body["meta"]["items_scanned"] <= 4 + 2, "the counts (one request) and the one pet, nothing more"


def test_a_deleted_breed_leaves_the_vocabulary(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet(name="Hachi", breed="Shiba Inu"))
    _, resolver = _second_container(api)
    assert _ask(resolver, "shiba inus")["filters"]["breed"] == "Shiba Inu"
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204
    assert _ask(resolver, "shiba inus")["filters"].get("breed") is None


def test_the_vocabulary_is_rebuilt_only_when_the_counts_move(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from petstore.nlq import vocabulary

    api.call("POST", "/pets", body=new_pet(name="Rex"))
    builds = []
    original = vocabulary.Vocabulary.from_counts.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(vocabulary.Vocabulary, "from_counts",
                        classmethod(lambda cls, counts: builds.append(1) or original(cls, counts)))
    for _ in range(3):
        assert api.call("POST", "/pets/query", body={"query": "dogs"}, claims=USER_CLAIMS)[0] == 200
    assert len(builds) == 1
    api.call("POST", "/pets", body=new_pet(name="Tom", type="cat", breed="Siamese"))
    assert api.call("POST", "/pets/query", body={"query": "dogs"}, claims=USER_CLAIMS)[0] == 200
    assert len(builds) == 2
