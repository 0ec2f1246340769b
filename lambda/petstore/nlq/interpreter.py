"""Turns a sentence into a filter: Bedrock when it answers well, the keyword parser otherwise."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..models import PetFilter
from .keywords import Reading, parse_query, read_query
from .refine import Turn, follow, is_fresh
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
    unrecognised: tuple[str, ...] = ()  # words the model could not map onto the filter


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
    carried: tuple[str, ...] = ()
    understood: bool = True
    unrecognised: tuple[str, ...] = ()
    suggestions: dict[str, str] = field(default_factory=dict)
    corrected: dict[str, str] = field(default_factory=dict)


def _keyword_answer(reading: Reading, previous: PetFilter | None, fallback_reason: str | None = None) -> Interpretation:
    turn = follow(previous, reading)
    return _answer(turn, reading, "keyword", fallback_reason=fallback_reason, unrecognised=reading.unrecognised,
                   corrected=dict(reading.corrected))


def _answer(turn: Turn, reading: Reading, source: Literal["llm", "keyword"], *, unrecognised: tuple[str, ...],
            corrected: dict[str, str], **extra: object) -> Interpretation:
    return Interpretation(
        turn.pet_filter, source, carried=turn.carried, understood=turn.understood, unrecognised=unrecognised,
        suggestions={word: hint for word, hint in reading.suggestions.items() if word in unrecognised},
        corrected=corrected, **extra,  # type: ignore[arg-type]
    )


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
        self._cache: OrderedDict[tuple[str, str, str], Translation] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def interpret(self, text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> Interpretation:
        """The filter `text` asks for, following `previous` (the conversation's filter so far) where it refines it.

        The keyword reading always decides the turn (start over, refine, widen) and the default status, so
        Bedrock is asked with the previous filter only when the question refines it: a model's answer to a
        new subject is never merged with the old filter.
        """
        reading = read_query(text, vocabulary)
        base = None if previous is None or is_fresh(reading) else previous
        if self._translator is None:
            return _keyword_answer(reading, base)

        key = (normalise(text), vocabulary.fingerprint(), base.model_dump_json(exclude_defaults=True) if base else "")
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            return self._llm_answer(cached, reading, base, text, cached=True)
        try:
            translation = self._translator.translate(text, vocabulary, base)
        except TranslationFailed as failure:
            return _keyword_answer(reading, base, fallback_reason=failure.reason)
        translation = Translation(in_store_words(translation.named, vocabulary), translation.input_tokens,
                                  translation.output_tokens, translation.unrecognised)
        with self._lock:
            self._cache[key] = translation
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return self._llm_answer(translation, reading, base, text)

    @staticmethod
    def _llm_answer(translation: Translation, reading: Reading, base: PetFilter | None, text: str,
                    cached: bool = False) -> Interpretation:
        typed = {word.casefold() for word in re.findall(r"[^\W\d_]+", text)}
        unrecognised = tuple(dict.fromkeys(word for word in translation.unrecognised if word.casefold() in typed))
        # The model's own list of what it could not map; the keyword reading's turn cues and widening still apply.
        llm_reading = Reading(named=translation.named, cues=reading.cues, subject=reading.subject,
                              all_types=reading.all_types, unrecognised=unrecognised, suggestions=reading.suggestions)
        turn = follow(base, llm_reading, translation.named)
        if cached:
            return _answer(turn, llm_reading, "llm", unrecognised=unrecognised, corrected={}, cached=True)
        return _answer(turn, llm_reading, "llm", unrecognised=unrecognised, corrected={},
                       input_tokens=translation.input_tokens, output_tokens=translation.output_tokens)
