"""The Bedrock path: the request sent, the tool input validated, every fault falling back to keywords."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from petstore.models import PetFilter, SortOrder
from petstore.nlq.bedrock import BedrockTranslator
from petstore.nlq.interpreter import Interpreter
from petstore.nlq.tool_schema import filter_tool_schema
from petstore.nlq.vocabulary import Vocabulary
from tests.conftest import USER_CLAIMS, Api, new_pet
from tests.fake_bedrock import FakeBedrock, tool_answer

MODEL = "us.amazon.nova-micro-v1:0"
VOCAB = Vocabulary.from_pets([("dog", "Beagle"), ("cat", "Siamese"), ("bird", None)])


@pytest.fixture
def bedrock_client(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return boto3.client("bedrock-runtime", region_name="us-east-1")


def _interpreter(client: Any) -> Interpreter:
    translator = BedrockTranslator(MODEL, client=client)
    translator._has_credentials = True  # the stubbed client needs no credential lookup
    return Interpreter(translator)


def test_tool_schema_is_generated_from_the_filter_model() -> None:
    schema = filter_tool_schema()
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(PetFilter.model_fields) | {"unrecognised"}
    assert schema["properties"]["unrecognised"]["type"] == "array"
    assert schema["properties"]["sort"]["enum"] == [s.value for s in SortOrder]
    assert "$ref" not in str(schema) and "anyOf" not in str(schema)


def test_happy_path_request_and_answer(bedrock_client: Any) -> None:
    interpreter = _interpreter(bedrock_client)
    translator = interpreter._translator
    expected = translator.request("cheap dogs under $500", VOCAB, None)
    assert expected["toolConfig"]["toolChoice"] == {"tool": {"name": "search_pets"}}
    assert expected["inferenceConfig"]["temperature"] == 0
    assert "Beagle (dog)" in expected["system"][0]["text"]
    with Stubber(bedrock_client) as stub:  # the Stubber validates the request against the real service model
        stub.add_response("converse", tool_answer({"type": ["dog"], "max_price": 500, "max_price_strict": True, "sort": "price_asc"}), expected)
        answer = interpreter.interpret("cheap dogs under $500", VOCAB, None)
        stub.assert_no_pending_responses()
    assert answer.source == "llm" and answer.fallback_reason is None
    assert answer.pet_filter == PetFilter(type=["dog"], max_price=500, max_price_strict=True, sort="price_asc",
                                          status="available")  # no status named: available pets
    assert (answer.input_tokens, answer.output_tokens) == (321, 42)


def test_a_new_subject_is_not_merged_with_the_old_filter(bedrock_client: Any) -> None:
    interpreter = _interpreter(bedrock_client)
    translator = interpreter._translator
    previous = PetFilter(type=["dog"], max_price=500, max_price_strict=True, sort="price_asc", status="available")
    fresh_request = translator.request("the most expensive bird", VOCAB, None)
    assert "continues a conversation" not in fresh_request["system"][0]["text"]
    with Stubber(bedrock_client) as stub:  # asked without the previous filter, so a stray carry-over can't happen
        stub.add_response("converse", tool_answer({"type": ["bird"], "sort": "price_desc", "limit": 1}), fresh_request)
        answer = interpreter.interpret("the most expensive bird", VOCAB, previous)
        stub.assert_no_pending_responses()
    assert answer.pet_filter == PetFilter(type=["bird"], sort="price_desc", limit=1, status="available")
    assert answer.carried == ()


def test_a_follow_up_is_merged_and_says_what_it_kept(bedrock_client: Any) -> None:
    interpreter = _interpreter(bedrock_client)
    previous = PetFilter(type=["dog"], max_price=600, max_price_strict=True, status="available")
    expected = interpreter._translator.request("what about cats?", VOCAB, previous)
    with Stubber(bedrock_client) as stub:
        stub.add_response("converse", tool_answer({"type": ["cat"]}), expected)
        answer = interpreter.interpret("what about cats?", VOCAB, previous)
        stub.assert_no_pending_responses()
    assert answer.pet_filter == PetFilter(type=["cat"], max_price=600, max_price_strict=True, status="available")
    assert answer.carried == ("max_price",)


def test_the_models_unrecognised_words_are_reported_and_an_unknown_subject_answers_nothing(bedrock_client: Any) -> None:
    interpreter = _interpreter(bedrock_client)
    with Stubber(bedrock_client) as stub:
        stub.add_response("converse", tool_answer({"max_price": 300, "unrecognised": ["unicorns", "not-in-text"]}))
        answer = interpreter.interpret("unicorns under 300", VOCAB, None)
        stub.assert_no_pending_responses()
    assert answer.source == "llm"
    assert answer.unrecognised == ("unicorns",)  # only words the shopper wrote
    assert not answer.understood  # no subject understood: no pets, not every pet under 300


def test_the_prompt_states_the_bands_and_the_default_status() -> None:
    text = BedrockTranslator(MODEL, client=object()).request("puppies", VOCAB, None)["system"][0]["text"]
    assert "baby = under 1 year (max_age 1, max_age_strict)" in text and "senior = 8 years and older" in text
    assert "available pets are searched by default" in text and "unrecognised" in text


def test_repeated_query_is_served_from_the_cache(bedrock_client: Any) -> None:
    interpreter = _interpreter(bedrock_client)
    with Stubber(bedrock_client) as stub:
        stub.add_response("converse", tool_answer({"type": ["cat"]}))
        first = interpreter.interpret("Cats please", VOCAB, None)
        second = interpreter.interpret("  cats   PLEASE ", VOCAB, None)
        stub.assert_no_pending_responses()
    assert first.source == second.source == "llm"
    assert second.cached and second.pet_filter == first.pet_filter


def test_previous_filter_goes_into_the_prompt(bedrock_client: Any) -> None:
    translator = BedrockTranslator(MODEL, client=bedrock_client)
    request = translator.request("what about cats?", VOCAB, PetFilter(type=["dog"], max_price=600))
    assert '"max_price":600' in request["system"][0]["text"].replace(" ", "")


@pytest.mark.parametrize(
    ("error_code", "reason"),
    [("ThrottlingException", "throttled"), ("AccessDeniedException", "access_denied"),
     ("ValidationException", "invalid_request"), ("ServiceUnavailableException", "unavailable"),
     ("ModelTimeoutException", "timeout")],
)
def test_service_errors_fall_back(bedrock_client: Any, error_code: str, reason: str) -> None:
    interpreter = _interpreter(bedrock_client)
    with Stubber(bedrock_client) as stub:
        stub.add_client_error("converse", service_error_code=error_code, http_status_code=400)
        answer = interpreter.interpret("cats under $300", VOCAB, None)
    assert answer.source == "keyword" and answer.fallback_reason == reason
    assert answer.pet_filter.type == ["cat"] and answer.pet_filter.max_price == 300


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ({"output": {"message": {"role": "assistant", "content": [{"text": "Here are some dogs!"}]}}, "stopReason": "end_turn",
          "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}, "metrics": {"latencyMs": 1}}, "text_instead_of_tool"),
        ({"output": {"message": {"role": "assistant", "content": []}}, "stopReason": "end_turn",
          "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}, "metrics": {"latencyMs": 1}}, "no_tool_call"),
        (tool_answer({"max_price": -5}), "invalid_tool_input"),
        (tool_answer({"sort": "random"}), "invalid_tool_input"),
        (tool_answer({"type": ["dog"], "colour": "brown"}), "invalid_tool_input"),
        (tool_answer({"min_price": 900, "max_price": 100}), "invalid_tool_input"),
    ],
)
def test_unusable_answers_fall_back(bedrock_client: Any, response: dict[str, Any], reason: str) -> None:
    interpreter = _interpreter(bedrock_client)
    with Stubber(bedrock_client) as stub:
        stub.add_response("converse", response)
        answer = interpreter.interpret("dogs", VOCAB, None)
    assert answer.source == "keyword" and answer.fallback_reason == reason
    assert answer.pet_filter.type == ["dog"]


def test_no_credentials_means_no_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with FakeBedrock() as fake:
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        answer = Interpreter(BedrockTranslator(MODEL)).interpret("dogs", VOCAB, None)
        assert fake.requests == []
    assert answer.source == "keyword" and answer.fallback_reason == "no_credentials"


def test_a_hanging_bedrock_still_answers_within_4_seconds(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api.call("POST", "/pets", body=new_pet(name="Tom", type="cat", breed="Siamese", price=250))
    with FakeBedrock() as fake:
        fake.delay = 6.0
        fake.answer = tool_answer({"type": ["cat"]})
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        monkeypatch.setenv("BEDROCK_MODEL_ID", MODEL)
        started = time.monotonic()
        status, body, _ = api.call("POST", "/pets/query", body={"query": "cats under 300"}, claims=USER_CLAIMS)
        elapsed = time.monotonic() - started
    assert status == 200, body
    assert body["source"] == "keyword" and body["meta"]["fallback_reason"] == "timeout"
    assert [pet["name"] for pet in body["pets"]] == ["Tom"]
    assert elapsed < 4.0, f"answered after {elapsed:.1f} s"
    assert len(fake.requests) >= 1 and fake.requests[0]["path"].endswith("/converse")


def test_end_to_end_through_the_handler_with_a_local_bedrock(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api.call("POST", "/pets", body=new_pet(name="Rex", type="dog", price=300))
    api.call("POST", "/pets", body=new_pet(name="Max", type="dog", price=700))
    api.call("POST", "/pets", body=new_pet(name="Tom", type="cat", breed="Siamese", price=250))
    with FakeBedrock() as fake:
        fake.answer = tool_answer({"type": ["dog"], "max_price": 500, "breed": None})
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
        monkeypatch.setenv("BEDROCK_MODEL_ID", MODEL)
        status, body, _ = api.call("POST", "/pets/query", body={"query": "a doggo for less than five hundred"}, claims=USER_CLAIMS)
        assert status == 200, body
        assert body["source"] == "llm" and [p["name"] for p in body["pets"]] == ["Rex"]
        assert body["filters"]["type"] == ["dog"] and body["filters"]["max_price"] == 500
        assert body["meta"]["input_tokens"] == 321 and body["meta"]["items_scanned"] >= 1
        sent = fake.requests[0]["body"]
        assert sent["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"] == filter_tool_schema()
        assert "dog" in sent["system"][0]["text"] and "Siamese" in sent["system"][0]["text"]
        fake.status, fake.answer = 400, {"__type": "ThrottlingException", "message": "slow down"}
        status, body, _ = api.call("POST", "/pets/query", body={"query": "cats please"}, claims=USER_CLAIMS)
        assert status == 200 and body["source"] == "keyword" and body["meta"]["fallback_reason"] == "throttled"
        assert [p["name"] for p in body["pets"]] == ["Tom"]
