"""Bedrock fails fast: one attempt within a deadline counted from the request's start, and a circuit breaker."""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from petstore import deadline
from petstore.nlq.bedrock import COOLDOWN_SECONDS, DEADLINE_SECONDS, BedrockTranslator, CircuitBreaker
from petstore.nlq.interpreter import Interpreter, TranslationFailed
from petstore.nlq.vocabulary import Vocabulary
from tests.conftest import USER_CLAIMS, Api, new_pet
from tests.fake_bedrock import FakeBedrock, tool_answer

MODEL = "us.amazon.nova-micro-v1:0"
VOCAB = Vocabulary.from_pets([("dog", "Beagle"), ("cat", "Siamese")])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def bedrock_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("BEDROCK_COOLDOWN_SECONDS", raising=False)


def test_the_breaker_opens_on_timeouts_and_throttling_and_tries_again_after_the_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(cooldown=30, clock=clock)
    assert breaker.allow() and breaker.state == "closed"
    breaker.record("invalid_tool_input")  # Bedrock answered, badly: nothing to wait out
    assert breaker.state == "closed"
    assert breaker.allow()
    breaker.record("throttled")
    assert breaker.state == "open" and breaker.trips == 1
    clock.now += 29
    assert not breaker.allow()
    clock.now += 2
    assert breaker.allow(), "one trial after the cool-down"
    assert not breaker.allow(), "and only one at a time"
    breaker.record("timeout")
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 31
    assert breaker.allow()
    breaker.record(None)
    assert breaker.state == "closed" and breaker.allow() and breaker.trips == 2


def test_one_attempt_only(bedrock_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeBedrock() as fake:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        fake.status, fake.answer = 503, {"__type": "ServiceUnavailableException", "message": "try later"}
        translator = BedrockTranslator(MODEL)
        with pytest.raises(TranslationFailed) as failure:
            translator.translate("dogs", VOCAB, None)
        assert failure.value.reason == "unavailable"
        assert len(fake.requests) == 1, "no retry: a second attempt could not finish within the deadline anyway"
        assert translator.breaker.state == "open"


def test_ten_questions_with_bedrock_hanging_cost_one_deadline(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEDROCK_COOLDOWN_SECONDS", raising=False)
    api.call("POST", "/pets", body=new_pet(name="Tom", type="cat", breed="Siamese", price=250))
    with FakeBedrock() as fake:
        fake.delay, fake.answer = 8.0, tool_answer({"type": ["cat"]})
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        monkeypatch.setenv("BEDROCK_MODEL_ID", MODEL)
        reasons, started = [], time.monotonic()
        for i in range(10):
            status, body, _ = api.call("POST", "/pets/query", body={"query": f"cats under 300 #{i}"}, claims=USER_CLAIMS)
            assert status == 200, body
            assert body["source"] == "keyword" and [p["name"] for p in body["pets"]] == ["Tom"]
            reasons.append(body["meta"]["fallback_reason"])
        elapsed = time.monotonic() - started
        assert reasons == ["timeout"] + ["circuit_open"] * 9
        assert len(fake.requests) == 1, "Bedrock was asked once"
        assert elapsed < DEADLINE_SECONDS + 2.5, f"ten questions took {elapsed:.1f} s"
    translator = api.module.container.query_service._interpreter._translator
    assert translator.breaker.state == "open" and COOLDOWN_SECONDS >= 10


def test_the_deadline_counts_from_the_request_start(bedrock_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeBedrock() as fake:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        fake.delay = 5.0
        translator = BedrockTranslator(MODEL)
        # The gateway received the request 2.9 s ago (a slow cold start, say): 0.3 s are left for Bedrock.
        deadline.start_request({"requestContext": {"requestTimeEpoch": (time.time() - 2.9) * 1000}})
        started = time.monotonic()
        with pytest.raises(TranslationFailed) as failure:
            translator.translate("dogs", VOCAB, None)
        # Well short of a full deadline (3.2 s) or the fake's 5 s; loose enough for a loaded machine.
        assert failure.value.reason == "timeout" and time.monotonic() - started < 2.5
        # With less than a useful attempt left, no call is made at all.
        fake.requests.clear()
        deadline.start_request({"requestContext": {"requestTimeEpoch": (time.time() - 3.1) * 1000}})
        fresh = BedrockTranslator(MODEL)
        with pytest.raises(TranslationFailed) as failure:
            fresh.translate("dogs", VOCAB, None)
        assert failure.value.reason == "deadline" and fake.requests == []
        assert fresh.breaker.state == "closed", "running out of time is not Bedrock's fault"
    deadline.start_request(None)


def test_an_untrusted_gateway_stamp_is_ignored() -> None:
    deadline.start_request({"requestContext": {"requestTimeEpoch": 1767225600000}})  # a stored event from long ago
    elapsed = deadline.elapsed()
    assert elapsed is not None and elapsed < 0.5
    deadline.start_request({"requestContext": {"requestTimeEpoch": (time.time() + 60) * 1000}})  # a clock ahead
    elapsed = deadline.elapsed()
    assert elapsed is not None and elapsed < 0.5


def test_only_one_trial_when_many_ask_at_once(bedrock_env: None) -> None:
    clock = Clock()
    breaker = CircuitBreaker(cooldown=5, clock=clock)
    breaker.record("timeout")
    clock.now += 6
    allowed: list[bool] = []
    threads = [threading.Thread(target=lambda: allowed.append(breaker.allow())) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1


def test_a_good_answer_closes_the_breaker(bedrock_env: None) -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    clock = Clock()
    translator = BedrockTranslator(MODEL, client=client, breaker=CircuitBreaker(cooldown=10, clock=clock))
    interpreter = Interpreter(translator)
    with Stubber(client) as stub:
        stub.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=400)
        first = interpreter.interpret("cats", VOCAB, None)
        second = interpreter.interpret("dogs", VOCAB, None)
        clock.now += 11
        stub.add_response("converse", tool_answer({"type": ["dog"]}))
        third = interpreter.interpret("doggies", VOCAB, None)
        stub.assert_no_pending_responses()
    assert (first.fallback_reason, second.fallback_reason, third.source) == ("throttled", "circuit_open", "llm")
    assert translator.breaker.state == "closed"


def test_the_breaker_state_reaches_the_metrics(bedrock_env: None) -> None:
    from petstore.observability import metrics

    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    translator = BedrockTranslator(MODEL, client=client)
    metrics.clear_metrics()
    with Stubber(client) as stub:
        stub.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=400)
        for text in ("cats", "dogs"):
            with pytest.raises(TranslationFailed):
                translator.translate(text, VOCAB, None)
    recorded: dict[str, Any] = metrics.metric_set
    assert recorded["BedrockCircuitTrips"]["Value"] == [1.0]
    assert recorded["BedrockSkipped"]["Value"] == [1.0]
    assert recorded["BedrockCircuitOpen"]["Value"] == [1.0, 1.0]
    metrics.clear_metrics()
