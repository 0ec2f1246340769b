"""Bedrock Converse with one forced tool whose input schema is the filter.

Bedrock either answers within the request's deadline or is given up: one attempt, no retries, a wait
counted from the request's start (the client's creation and the vocabulary included), and a circuit
breaker per container that stops asking for a cool-down after a timeout or throttling, so a slow or
throttled Bedrock costs one deadline, not one per question.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from pydantic import ValidationError

from .. import deadline as request_clock
from ..models import PetFilter
from ..store.aws import error_code
from .interpreter import Translation, TranslationFailed
from .stages import BANDS
from .tool_schema import TOOL_NAME, tool_spec
from .vocabulary import Vocabulary

CONNECT_TIMEOUT = 1.0
DEADLINE_SECONDS = 3.2  # from the request's start: a question answers within 4 s even when Bedrock hangs
MIN_ATTEMPT_SECONDS = 0.25  # less time left than this: don't start a call that can't finish
COOLDOWN_SECONDS = 30.0
# Failures that say "Bedrock can't answer now": asking again at once would only wait again.
TRIPPING_REASONS = frozenset({"timeout", "throttled", "unreachable", "unavailable", "model_not_ready"})

_REASONS = {
    "ThrottlingException": "throttled",
    "ServiceQuotaExceededException": "throttled",
    "AccessDeniedException": "access_denied",
    "ValidationException": "invalid_request",
    "ResourceNotFoundException": "model_not_found",
    "ModelNotReadyException": "model_not_ready",
    "ModelTimeoutException": "timeout",
    "ModelErrorException": "model_error",
    "ServiceUnavailableException": "unavailable",
    "InternalServerException": "unavailable",
}


def _band_text(stage: str) -> str:
    low, high = BANDS[stage]
    if low is None:
        return f"under {high:g} year{'s' if high != 1 else ''} (max_age {high:g}, max_age_strict)"
    if high is None:
        return f"{low:g} years and older (min_age {low:g})"
    return f"{low:g} to under {high:g} years"


def system_prompt(vocabulary: Vocabulary, previous: PetFilter | None) -> str:
    breeds = ", ".join(f"{breed} ({pet_type})" for breed, pet_type in sorted(vocabulary.breeds.items())) or "none"
    lines = [
        "You turn a pet shop customer's message into one call of the search_pets tool.",
        f"Pet types in the store: {', '.join(sorted(vocabulary.types)) or 'none'}. Use these lowercase singular words.",
        f"Breeds in the store (with their type): {breeds}. Use the breed's spelling from this list.",
        "Prices are numbers without currency. Ages are in years: 6 months is 0.5.",
        "'under/less than/below/younger than' exclude the bound (set the *_strict flag); 'up to/at most/no more than' include it.",
        "Order: cheap -> price_asc, expensive -> price_desc, young -> age_asc, old -> age_desc.",
        "'the cheapest dog' (one pet) sets limit 1; 'top 3' sets limit 3; plural superlatives set no limit.",
        "Life stages are age ranges: " + "; ".join(
            f"{stage} = {_band_text(stage)}" for stage in BANDS
        ) + " (puppy and kitten are baby). 'young' and 'baby' also sort age_asc, 'senior' age_desc.",
        "Sex, size and good_with_* are set only when asked for; an animal the customer already has at home ('I have"
        " a cat') is a good_with wish, not a type to search.",
        "Set status only when the message asks for one ('reserved' and 'on hold' mean pending, 'sold' means adopted);"
        " otherwise leave it out: available pets are searched by default.",
        "List in `unrecognised` each word of the message that names an animal, a breed or a wish you cannot express"
        " with the filter (an animal the store does not hold, 'calm', 'fluffy'); never words such as 'please' or"
        " 'show me'.",
        "The message may be in any language. Set only what the message asks for.",
    ]
    if previous is not None:
        lines.append(
            "This message continues a conversation whose current filter is "
            + previous.model_dump_json(exclude_defaults=True)
            + ". Set only what the new message changes; unchanged fields are kept automatically."
        )
    return "\n".join(lines)


class CircuitBreaker:
    """Closed: calls go through. A tripping failure opens it for `cooldown` seconds: calls are skipped.
    Then one trial call goes through (half-open): an answer closes it, another tripping failure opens it again.
    """

    def __init__(self, cooldown: float = COOLDOWN_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._trial = False
        self.trips = 0

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half_open" if self._trial or self._clock() - self._opened_at >= self._cooldown else "open"

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if not self._trial and self._clock() - self._opened_at >= self._cooldown:
                self._trial = True
                return True
            return False

    def cancel(self) -> None:
        """An allowed call was not made after all."""
        with self._lock:
            self._trial = False

    def record(self, reason: str | None) -> None:
        """The outcome of an allowed call: None when Bedrock answered (usable or not), else why it failed."""
        with self._lock:
            trial, self._trial = self._trial, False
            if reason in TRIPPING_REASONS:
                if self._opened_at is None or trial:  # not a call that was under way when it opened
                    self.trips += 1
                self._opened_at = self._clock()
            elif reason != "no_credentials":
                self._opened_at = None


def _cooldown_from_environment() -> float:
    try:
        return max(0.0, float(os.environ.get("BEDROCK_COOLDOWN_SECONDS", COOLDOWN_SECONDS)))
    except ValueError:
        return COOLDOWN_SECONDS


class BedrockTranslator:
    def __init__(self, model_id: str, client: Any | None = None, deadline: float = DEADLINE_SECONDS,
                 breaker: CircuitBreaker | None = None) -> None:
        self._model_id = model_id
        self._client = client
        self._deadline = deadline
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bedrock")
        self._has_credentials: bool | None = None
        self.breaker = breaker or CircuitBreaker(_cooldown_from_environment())

    def _bedrock(self) -> Any:
        """The client, created on first use (on a worker thread, so the wait for it counts in the deadline)."""
        with self._lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                session = boto3.session.Session()
                self._has_credentials = session.get_credentials() is not None
                self._client = session.client(
                    "bedrock-runtime",
                    config=Config(
                        connect_timeout=CONNECT_TIMEOUT,
                        # An abandoned call ends by itself about when the question stopped waiting for it.
                        read_timeout=self._deadline,
                        retries={"total_max_attempts": 1, "mode": "standard"},
                    ),
                )
            return self._client

    def _converse(self, request: dict[str, Any]) -> dict[str, Any]:
        bedrock = self._bedrock()
        if self._has_credentials is False:
            raise TranslationFailed("no_credentials")
        return bedrock.converse(**request)

    def _tool_choice(self) -> dict[str, Any]:
        # Forcing a named tool is supported by Anthropic and Amazon Nova models; others accept "any".
        if any(family in self._model_id for family in ("anthropic.", "amazon.nova", "nova-")):
            return {"tool": {"name": TOOL_NAME}}
        return {"any": {}}

    def request(self, text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> dict[str, Any]:
        return {
            "modelId": self._model_id,
            "system": [{"text": system_prompt(vocabulary, previous)}],
            "messages": [{"role": "user", "content": [{"text": text}]}],
            "toolConfig": {"tools": [tool_spec()], "toolChoice": self._tool_choice()},
            "inferenceConfig": {"temperature": 0, "maxTokens": 400},
        }

    def translate(self, text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> Translation:
        if not self.breaker.allow():
            _account_breaker(self.breaker, skipped=True)
            raise TranslationFailed("circuit_open", f"Bedrock skipped after a recent timeout or throttling ({self.breaker.state})")
        spent = request_clock.elapsed()
        remaining = self._deadline - (spent or 0.0)
        if remaining < MIN_ATTEMPT_SECONDS:
            self.breaker.cancel()
            raise TranslationFailed("deadline", f"{remaining:.2f} s left of {self._deadline} s")
        future = self._pool.submit(self._converse, self.request(text, vocabulary, previous))
        try:
            response = future.result(timeout=remaining)
        except FutureTimeout as exc:
            self._failed("timeout")
            raise TranslationFailed("timeout", f"no answer within {self._deadline} s of the request's start") from exc
        except TranslationFailed as failure:
            self._failed(failure.reason)
            raise
        except Exception as exc:  # any SDK or transport failure falls back
            reason = _reason(exc)
            self._failed(reason)
            raise TranslationFailed(reason, str(exc)[:200]) from exc
        self.breaker.record(None)
        return _translation(response)

    def _failed(self, reason: str) -> None:
        opened_before = self.breaker.trips
        self.breaker.record(reason)
        if self.breaker.trips != opened_before:
            _account_breaker(self.breaker, skipped=False)


def _account_breaker(breaker: CircuitBreaker, skipped: bool) -> None:
    """The breaker's state in the metrics: trips, questions that skipped Bedrock, and the state now (1 open)."""
    from aws_lambda_powertools.metrics import MetricUnit

    from ..observability import logger, metrics

    metrics.add_metric(name="BedrockSkipped" if skipped else "BedrockCircuitTrips", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="BedrockCircuitOpen", unit=MetricUnit.Count, value=0 if breaker.state == "closed" else 1)
    if not skipped:
        logger.warning("Bedrock circuit opened", extra={"state": breaker.state, "trips": breaker.trips})


def _reason(exc: Exception) -> str:
    code = error_code(exc)
    if code:
        return _REASONS.get(code, code)
    name = type(exc).__name__
    if "Timeout" in name:
        return "timeout"
    if "Credentials" in name:
        return "no_credentials"
    if "Connect" in name or "Endpoint" in name:
        return "unreachable"
    return "error"


def _translation(response: dict[str, Any]) -> Translation:
    usage = response.get("usage") or {}
    content = ((response.get("output") or {}).get("message") or {}).get("content") or []
    tool_input = next(
        (block["toolUse"].get("input") for block in content if "toolUse" in block and block["toolUse"].get("name") == TOOL_NAME),
        None,
    )
    if tool_input is None:
        reason = "text_instead_of_tool" if any("text" in block for block in content) else "no_tool_call"
        raise TranslationFailed(reason, str(response.get("stopReason", "")))
    if isinstance(tool_input, str):
        try:
            tool_input = json.loads(tool_input)
        except ValueError as exc:
            raise TranslationFailed("invalid_tool_input", "not JSON") from exc
    if not isinstance(tool_input, dict):
        raise TranslationFailed("invalid_tool_input", "not an object")
    unrecognised = tool_input.pop("unrecognised", None)
    unrecognised = tuple(str(word)[:50] for word in unrecognised[:10]) if isinstance(unrecognised, list) else ()
    # A model often writes out defaults; only what it sets for real counts as named, so the rest of a
    # conversation's filter carries over (a strict flag counts only beside its bound).
    named = {
        key: value for key, value in tool_input.items()
        if value is not None and not (key.endswith("_strict") and (value is False or tool_input.get(key[: -len("_strict")]) is None))
    }
    try:
        pet_filter = PetFilter.model_validate(named)
    except ValidationError as exc:
        raise TranslationFailed("invalid_tool_input", str(exc.errors()[:3])) from exc
    return Translation(pet_filter, int(usage.get("inputTokens", 0)), int(usage.get("outputTokens", 0)), unrecognised)
