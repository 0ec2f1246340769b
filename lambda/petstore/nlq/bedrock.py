"""Bedrock Converse with one forced tool whose input schema is the filter."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from pydantic import ValidationError

from ..models import PetFilter
from ..store.aws import error_code
from .interpreter import Translation, TranslationFailed
from .stages import BANDS
from .tool_schema import TOOL_NAME, tool_spec
from .vocabulary import Vocabulary

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 3.0
DEADLINE_SECONDS = 3.2  # a query answers within 4 s even when Bedrock hangs

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


class BedrockTranslator:
    def __init__(self, model_id: str, client: Any | None = None, deadline: float = DEADLINE_SECONDS) -> None:
        self._model_id = model_id
        self._client = client
        self._deadline = deadline
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._has_credentials: bool | None = None

    def _bedrock(self) -> Any:
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
                        read_timeout=READ_TIMEOUT,
                        retries={"total_max_attempts": 2, "mode": "standard"},
                    ),
                )
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bedrock")
            return self._client

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
        bedrock = self._bedrock()
        if self._has_credentials is False:
            raise TranslationFailed("no_credentials")
        assert self._pool is not None
        future = self._pool.submit(bedrock.converse, **self.request(text, vocabulary, previous))
        try:
            response = future.result(timeout=self._deadline)
        except FutureTimeout as exc:
            raise TranslationFailed("timeout", f"no answer within {self._deadline} s") from exc
        except Exception as exc:  # any SDK or transport failure falls back
            raise TranslationFailed(_reason(exc), str(exc)[:200]) from exc
        return _translation(response)


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
