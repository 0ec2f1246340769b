"""Bedrock faults end to end over HTTP: the local stack with a local Bedrock endpoint behind it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from petstore_dev.stack import StackProcess, sign_in
from tests.stack_fixture import running_stack
from tests.fake_bedrock import FakeBedrock, tool_answer


@pytest.fixture(scope="module")
def bedrock() -> Iterator[FakeBedrock]:
    with FakeBedrock() as fake:
        yield fake


@pytest.fixture(scope="module")
def stack_with_bedrock(bedrock: FakeBedrock) -> Iterator[tuple[StackProcess, str]]:
    # Credentials in the environment switch Bedrock on; its endpoint is the local fake. No cool-down after a
    # fault, so each test meets the fault it sets (the circuit breaker has tests of its own).
    env = {"AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": bedrock.url,
           "BEDROCK_COOLDOWN_SECONDS": "0"}
    with running_stack(env=env) as running:
        yield running, sign_in(running.url, running.user.email, running.user.password)["IdToken"]


def ask(stack: tuple[StackProcess, str], query: str) -> tuple[dict[str, Any], float]:
    running, token = stack
    started = time.monotonic()
    response = requests.post(f"{running.url}/pets/query", json={"query": query}, headers={"Authorization": token}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json(), time.monotonic() - started


def test_the_model_answers(stack_with_bedrock: tuple[StackProcess, str], bedrock: FakeBedrock) -> None:
    bedrock.status, bedrock.delay = 200, 0
    bedrock.answer = tool_answer({"type": ["cat"], "sort": "price_asc"})
    before = len(bedrock.requests)
    body, _ = ask(stack_with_bedrock, "kitties, cheapest first please")
    assert body["source"] == "llm" and body["filters"]["type"] == ["cat"] and body["filters"]["sort"] == "price_asc"
    assert body["pets"] and all(pet["type"] == "cat" for pet in body["pets"])
    prices = [pet["price"] for pet in body["pets"]]
    assert prices == sorted(prices)
    again, _ = ask(stack_with_bedrock, "Kitties, cheapest first please")
    assert again["source"] == "llm" and again["meta"]["cached"] is True
    assert len(bedrock.requests) == before + 1, "a repeated query makes no second Bedrock call"
    request = bedrock.requests[-1]["body"]
    assert request["toolConfig"]["toolChoice"] == {"tool": {"name": "search_pets"}}


@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [
        (400, {"__type": "ThrottlingException", "message": "Rate exceeded"}, "throttled"),
        (403, {"__type": "AccessDeniedException", "message": "no model access"}, "access_denied"),
        (200, {"output": {"message": {"role": "assistant", "content": [{"text": "Sure! Dogs are great."}]}},
               "stopReason": "end_turn", "usage": {"inputTokens": 5, "outputTokens": 5, "totalTokens": 10},
               "metrics": {"latencyMs": 1}}, "text_instead_of_tool"),
        (200, tool_answer({"max_price": -10}), "invalid_tool_input"),
        (200, tool_answer({"sort": "by_cuteness"}), "invalid_tool_input"),
    ],
)
def test_every_fault_falls_back_to_keywords(stack_with_bedrock: tuple[StackProcess, str], bedrock: FakeBedrock,
                                             status: int, answer: dict[str, Any], reason: str) -> None:
    bedrock.status, bedrock.answer, bedrock.delay = status, answer, 0
    body, _ = ask(stack_with_bedrock, f"dogs under 600 ({reason})")
    assert body["source"] == "keyword" and body["meta"]["fallback_reason"] == reason
    assert body["filters"]["type"] == ["dog"] and body["filters"]["max_price"] == 600
    assert all(pet["type"] == "dog" and pet["price"] < 600 for pet in body["pets"])


def test_a_hanging_model_still_answers_within_4_seconds(stack_with_bedrock: tuple[StackProcess, str], bedrock: FakeBedrock) -> None:
    bedrock.status, bedrock.answer, bedrock.delay = 200, tool_answer({"type": ["bird"]}), 8.0
    try:
        body, elapsed = ask(stack_with_bedrock, "birds please, slow model")
    finally:
        bedrock.delay = 0
    assert body["source"] == "keyword" and body["meta"]["fallback_reason"] == "timeout"
    assert body["filters"]["type"] == ["bird"]
    assert elapsed < 4.0, f"answered after {elapsed:.1f} s"
