"""Turns a sentence into a filter: Bedrock when it answers well, the keyword parser otherwise."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal, Protocol

from ..models import PetFilter
from .keywords import parse_query, starts_over
from .refine import refine
from .vocabulary import Vocabulary

CACHE_SIZE = 512


class TranslationFailed(Exception):
    """Bedrock gave no usable filter; `reason` names why, for the fallback accounting."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Translation:
    named: PetFilter
    input_tokens: int = 0
    output_tokens: int = 0


class FilterTranslator(Protocol):
    def translate(self, text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> Translation: ...


@dataclass(frozen=True)
class Interpretation:
    pet_filter: PetFilter
    source: Literal["llm", "keyword"]
    fallback_reason: str | None = None
    cached: bool = False
    input_tokens: int = 0
    output_tokens: int = 0


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def in_store_words(named: PetFilter, vocabulary: Vocabulary) -> PetFilter:
    """Map a model's words onto the store's: 'puppies' is type dog, 'golden retrievers' the stored breed."""
    update: dict[str, object] = {}
    if named.type:
        types: set[str] = set()
        for word in named.type:
            types.update(parse_query(word, vocabulary).type or [word])
        update["type"] = sorted(types)
    if named.breed:
        stored = parse_query(named.breed, vocabulary).breed
        if stored:
            update["breed"] = stored
    return named.model_copy(update=update) if update else named


class Interpreter:
    def __init__(self, translator: FilterTranslator | None = None, cache_size: int = CACHE_SIZE) -> None:
        self._translator = translator
        self._cache: OrderedDict[tuple[str, str, str], PetFilter] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def interpret(self, text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> Interpretation:
        fresh = starts_over(text)
        base = None if fresh else previous
        if self._translator is None:
            return Interpretation(refine(base, parse_query(text, vocabulary), fresh), "keyword")

        key = (normalise(text), vocabulary.fingerprint(), base.model_dump_json(exclude_defaults=True) if base else "")
        with self._lock:
            named = self._cache.get(key)
            if named is not None:
                self._cache.move_to_end(key)
        if named is not None:
            return Interpretation(refine(base, named, fresh), "llm", cached=True)
        try:
            translation = self._translator.translate(text, vocabulary, base)
        except TranslationFailed as failure:
            return Interpretation(refine(base, parse_query(text, vocabulary), fresh), "keyword", fallback_reason=failure.reason)
        translation = Translation(in_store_words(translation.named, vocabulary), translation.input_tokens, translation.output_tokens)
        with self._lock:
            self._cache[key] = translation.named
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return Interpretation(
            refine(base, translation.named, fresh),
            "llm",
            input_tokens=translation.input_tokens,
            output_tokens=translation.output_tokens,
        )
