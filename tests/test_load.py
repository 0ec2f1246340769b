"""Load on the local stack: 8 clients, 400 mixed requests; no unexpected status, no lost update."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from petstore_dev.stack import StackProcess, sign_in
from tests.stack_fixture import running_stack

CLIENTS = 8
REQUESTS = 400
EXPECTED = {
    "list": {200},
    "get": {200},
    "query": {200},
    "create": {201},
    "update": {200, 412},  # 412: another client changed the pet since this one read it
}


@pytest.fixture(scope="module")
def stack() -> Any:
    """A stack of its own, so the load leaves the shared one as seeded."""
    with running_stack() as running:
        yield running


def test_mixed_load_loses_nothing(stack: StackProcess) -> None:
    admin = sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"]
    user = sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"]
    tag = uuid.uuid4().hex[:8]
    shared = [
        requests.post(f"{stack.url}/pets", json={"name": f"Shared {tag} {i}", "type": "ferret", "age": 1, "price": 0},
                      headers={"Authorization": admin}, timeout=10).json()
        for i in range(3)
    ]
    applied: Counter[str] = Counter()  # successful updates per shared pet
    created: list[str] = []
    statuses: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()

    def one(index: int) -> None:
        rng = random.Random(index)
        session = requests.Session()
        kind = rng.choice(["list", "list", "get", "query", "create", "update", "update"])
        if kind == "list":
            response = session.get(f"{stack.url}/pets", params={"type": "dog", "sort": "price_asc", "page_size": 5},
                                   headers={"Authorization": user}, timeout=30)
        elif kind == "get":
            response = session.get(f"{stack.url}/pets/{rng.choice(shared)['id']}", headers={"Authorization": user}, timeout=30)
        elif kind == "query":
            response = session.post(f"{stack.url}/pets/query", json={"query": rng.choice(["cheap dogs", "cats under 500", "ferrets"])},
                                    headers={"Authorization": user}, timeout=30)
        elif kind == "create":
            response = session.post(f"{stack.url}/pets", json={"name": f"Load {tag} {index}", "type": "ferret", "age": 2, "price": 10},
                                    headers={"Authorization": admin, "Idempotency-Key": f"{tag}-{index}"}, timeout=30)
            if response.status_code == 201:
                with lock:
                    created.append(response.json()["id"])
        else:
            pet_id = rng.choice(shared)["id"]
            current = session.get(f"{stack.url}/pets/{pet_id}", headers={"Authorization": admin}, timeout=30).json()
            response = session.patch(f"{stack.url}/pets/{pet_id}", json={"price": current["price"] + 1},
                                     headers={"Authorization": admin, "If-Match": f'"{current["version"]}"'}, timeout=30)
            if response.status_code == 200:
                with lock:
                    applied[pet_id] += 1
        with lock:
            statuses[(kind, response.status_code)] += 1

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(one, range(REQUESTS)))

    unexpected = {key: n for key, n in statuses.items() if key[1] not in EXPECTED[key[0]]}
    assert not unexpected, f"unexpected statuses: {unexpected}"
    assert sum(statuses.values()) == REQUESTS
    for pet in shared:
        final = requests.get(f"{stack.url}/pets/{pet['id']}", headers={"Authorization": user}, timeout=10).json()
        # Every accepted update added 1 to the price and 1 to the version: none was lost or doubled.
        assert final["price"] == applied[pet["id"]] and final["version"] == 1 + applied[pet["id"]], (final, applied)
    for pet_id in created:
        assert requests.get(f"{stack.url}/pets/{pet_id}", headers={"Authorization": user}, timeout=10).status_code == 200
    assert created and sum(applied.values()) > 0
