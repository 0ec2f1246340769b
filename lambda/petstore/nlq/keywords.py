"""The deterministic keyword parser: a sentence in, a PetFilter holding only what the sentence names.

The text goes through these stages, each a table or a handful of precompiled patterns in its own module:

1. spelling (`text.py`, `numbers.py`, `languages.py`): lowercase, accents folded, German "ue" read as "ü" where
   that makes a known word, number words and `1,000` / `1.5k` / "two grand" turned into digits, and Spanish /
   French / German core phrases rewritten into their English equivalents;
2. turn cues (`turns.py`): "start over", "what about ...", "show me ...", "any price", "including adopted";
3. nouns (`lexicon.py`): breeds and pet types (from the store's vocabulary and the built-in word table) are
   replaced by markers such as ``N0P`` (noun 0, plural) so later patterns can see "a noun is here";
4. bounds (`bounds.py`): ages (which need a unit, "old", or an age word), then prices, each match consumed
   so that its number is never read again as a count; life stages (`stages.py`) are age bands;
5. order, count, status (`order.py`): explicit "sorted by ..." phrases, superlatives, counts, order
   adjectives and status words;
6. what is left: words no table knows (and `filler.py` does not list) are typos to correct against the
   parser's own words (`typos.py`, then the text is read again) or are reported as not understood, with a
   suggestion where a word is part of a known name ("dragons" -> Bearded Dragon) or close to one.

Choices where the contract is silent:
- "budget of 300" sets max_price 300 (inclusive) only; "budget" without an amount means cheapest first.
- A bare amount with a currency and no comparator ("a $300 dog") is a budget: max_price, inclusive.
  "around / about $500" is 400..600 (plus or minus 20%).
- "3 years old" / "3-year-old" means 3 <= age < 4 (the English sense of a whole age);
  a fractional one ("1.5 years old") means exactly that age. Weeks are converted at 52 a year.
- Several order words: an explicit "sorted by ..." wins, then a superlative, then the first adjective.
- Two breeds named: the first one is kept (a filter holds one breed); types of both are kept.
- A breed can be named by its distinctive first word ("labradors" -> "Labrador Retriever") when that
  word belongs to no other breed, has at least four letters and is not a colour/size/nationality word;
  a few well-known nicknames (lab, yorkie, frenchie, ...) work when their breed is in the store.
- "everything except cats" names the store's other types (when the vocabulary is known).
- Two bounds on the same side keep the tighter; contradictory bounds (min above max) are dropped.
- A small whole number with no currency right before a noun is a count ("up to 3 dogs", "2 cats"),
  otherwise numbers after a comparator are prices (the contract's rule); prices above 1,000,000 and
  ages above 100 are ignored.
- Animals the store does not hold ("gerbils") still name their type, so the answer is "none" rather
  than every pet; words such as "pets" or "animals" name no type.
- "not available" names no status (the filter cannot say "pending or adopted").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..models import PetFilter, PetStatus
from . import attributes, bounds, languages, numbers, order, stages, turns
from .attributes import read_good_with, read_sex_and_size
from .bounds import Ranges
from .filler import FILLER, REAL_WORDS
from .languages import to_english
from .lexicon import MARKER, Noun, Nouns, nouns_for
from .numbers import DIGIT, GERMAN_NUMBER, spell_out
from .order import (
    NEGATION, NEGATION_WORDS, ORDER_WORD_RE, ORDER_WORDS, SORT_WORDS, STATUS_RE, STATUS_WORDS, SUPERLATIVES,
    explicit_sort, limit, superlative,
)
from .stages import STAGE_RE, STAGE_WORDS, band_fields
from .text import WORD, fold, squash
from .turns import COMPARATIVE, Cues, read_cues, starts_over
from .typos import FILLER_MEANING, Match, SpellIndex, best, correct
from .vocabulary import Vocabulary

__all__ = ["Reading", "parse_query", "read_query", "starts_over"]

_AGE_FIELDS = ("min_age", "max_age", "min_age_strict", "max_age_strict")
ATTRIBUTES_KNOWN = "sex" in PetFilter.model_fields
_TYPED_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_UMLAUT_SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_GERMAN_ENDINGS = ("sten", "ste", "ten", "en", "er", "es", "em", "e", "n", "s", "r")


@dataclass(frozen=True)
class Reading:
    """What one sentence says: the filter it names, and what a conversation needs to know about it."""

    named: PetFilter
    cues: Cues
    subject: bool = False  # names what to look for: a type, a breed, "pets", "everything"
    all_types: bool = False  # the subject is the whole store, by a noun ("pets", "animals", "tiere")
    unrecognised: tuple[str, ...] = ()  # words as typed that look meaningful and were not understood
    corrected: Mapping[str, str] = field(default_factory=dict)  # word as typed -> what it was read as
    suggestions: Mapping[str, str] = field(default_factory=dict)  # word as typed -> what it may mean

    @property
    def constraint(self) -> bool:
        """Names something besides its subject: a bound, an order, a count, a status."""
        return bool(_named_fields(self.named) - {"type", "breed"})

    @property
    def understood(self) -> bool:
        """Anything at all was understood (a nonsense question is not)."""
        return bool(_named_fields(self.named)) or self.subject or bool(self.cues.widened) or self.cues.starts_over


def _named_fields(pet_filter: PetFilter) -> set[str]:
    return {name for name in pet_filter.model_fields_set if getattr(pet_filter, name) is not None}


def normalise(text: str) -> str:
    """Folded text with numbers as digits and es/fr/de phrasings in English, padded with spaces."""
    return " " + squash(to_english(spell_out(text))) + " "


def parse_query(text: str, vocabulary: Vocabulary) -> PetFilter:
    """The filter that `text` names, and nothing else: unnamed fields stay unset (see `model_fields_set`)."""
    return read_query(text, vocabulary).named


def read_query(text: str, vocabulary: Vocabulary) -> Reading:
    """Read a sentence: its filter, its turn cues, and the words it could not understand."""
    nouns = nouns_for(vocabulary)
    folded = _german_spellings(fold(text), nouns)
    reading, unknown = _read(folded, nouns, vocabulary)
    if not unknown:
        return reading
    corrections = {word: match for word in unknown if (match := _correction(word, vocabulary)) is not None}
    if corrections:
        fixed = re.sub(
            r"[a-z]+", lambda m: corrections[m.group(0)].word if m.group(0) in corrections else m.group(0), folded
        )
        reading, still_unknown = _read(fixed, nouns, vocabulary)
        # A correction that still means nothing (part of a longer name) was no correction: report the word.
        undone = {word for word, match in corrections.items() if match.word in still_unknown}
        unknown = [word for word in unknown if word in undone] + [w for w in still_unknown if w not in
                                                                   {corrections[u].word for u in undone}]
        corrections = {word: match for word, match in corrections.items() if word not in undone}
    typed = _as_typed(text)
    corrected = {
        typed.get(word, word): _shown(match.word, nouns)
        for word, match in corrections.items()
        if not match.meaning.startswith(FILLER_MEANING)
    }
    suggestions = {typed.get(word, word): hint for word in unknown if (hint := _suggestion(word, nouns))}
    return Reading(
        named=reading.named, cues=reading.cues, subject=reading.subject, all_types=reading.all_types,
        unrecognised=tuple(dict.fromkeys(typed.get(word, word) for word in unknown)),
        corrected=corrected, suggestions=suggestions,
    )


def _read(folded: str, nouns: Nouns, vocabulary: Vocabulary) -> tuple[Reading, list[str]]:
    cues, rest = read_cues(folded)
    found: list[Noun] = []
    ranges = Ranges()
    s = normalise(rest)
    attributes: dict[str, object] = {}
    if ATTRIBUTES_KNOWN:  # sex, size and good-with filters, where the filter model has them
        attributes, s = read_good_with(s)
    s = nouns.mark(s, found)
    if ATTRIBUTES_KNOWN:
        more, s = read_sex_and_size(s)
        attributes.update(more)
    has_digit = bool(DIGIT.search(s))
    if has_digit:  # every bound and count has a number
        s = ranges.read(s)
    words = set(WORD.findall(s))  # cheap guards: skip the patterns that cannot match

    named: dict[str, object] = {}

    excluded = (
        {int(i) for m in NEGATION.finditer(s) for i, _ in MARKER.findall(m.group("nouns"))}
        if found and words & NEGATION_WORDS else set()
    )
    wanted = [noun for i, noun in enumerate(found) if i not in excluded]
    types = set().union(*(noun.types for noun in wanted))
    breed = next((noun.breed for noun in wanted if noun.breed), None)
    if not types and excluded and vocabulary.types:
        types = set(vocabulary.types) - set().union(*(found[i].types for i in excluded))
    if types:
        named["type"] = sorted(types)
    if breed:
        named["breed"] = breed

    named.update(ranges.fields())
    named.update(attributes)
    sex = next((noun.sex for noun in wanted if noun.sex), None) if ATTRIBUTES_KNOWN else None
    if sex is not None:
        named.setdefault("sex", sex)
    stage = next((noun.stage for noun in wanted if noun.stage), None)
    if stage is None and words & STAGE_WORDS.keys() | {"grown", "fully"}:
        found_stage = STAGE_RE.search(s)
        stage = STAGE_WORDS[squash(found_stage.group(0))] if found_stage else None
    if stage is not None and not any(name in named for name in _AGE_FIELDS):
        named.update(band_fields(stage))

    explicit, s = explicit_sort(s) if words & SORT_WORDS else (None, s)
    top, single = superlative(s) if words & SUPERLATIVES.keys() else (None, False)
    adjective = ORDER_WORD_RE.search(s)
    sort = explicit or top or (ORDER_WORDS[squash(adjective.group(0))] if adjective else None)
    if sort:
        named["sort"] = sort
    count = (limit(s) if has_digit else None) or (1 if single else None)
    if count:
        named["limit"] = count

    status = STATUS_RE.search(s) if words & STATUS_WORDS else None
    if status and not status.group("unknown"):
        named["status"] = PetStatus(next(k for k, v in status.groupdict().items() if v))

    subjects = [noun for noun in wanted if noun.is_subject]
    all_types = bool(subjects) and not types and not breed  # "pets", "animals": the whole store
    refers_back = cues.refers_back or any(not noun.is_subject for noun in wanted) or bool(COMPARATIVE.search(s))
    reading = Reading(
        named=_build(named),
        cues=Cues(cues.starts_over, refers_back, cues.opens_request, cues.everything, cues.widened, cues.adds),
        subject=bool(types or breed or subjects or cues.everything),
        all_types=all_types,
    )
    unknown = [word for word in WORD.findall(s) if len(word) > 1 and word not in _known()]
    return reading, unknown


@functools.lru_cache(maxsize=4096)
def _correction(word: str, vocabulary: Vocabulary) -> Match | None:
    if word in REAL_WORDS:
        return None
    match = correct(word, nouns_for(vocabulary).spelling, _grammar_spelling())
    return match if match is not None and match.word != word else None


@functools.cache
def _known() -> frozenset[str]:
    """Every word some table understands, and the filler: what is never reported as not understood."""
    grammar = bounds.WORDS | order.WORDS | numbers.WORDS | languages.WORDS | stages.WORDS | turns.WORDS | FILLER
    return grammar | attributes.WORDS if ATTRIBUTES_KNOWN else grammar


@functools.cache
def _grammar_spelling() -> SpellIndex:
    """The grammar's own words, for typo correction (the nouns have their own index)."""
    words: dict[str, str] = {}
    words.update({word: word for word in bounds.LEXICON})
    words.update(order.LEXICON)
    words.update({word: word for word in numbers.LEXICON})
    words.update(languages.LEXICON)
    if ATTRIBUTES_KNOWN:
        words.update(attributes.LEXICON)
    words.update({word: word for word in stages.WORDS})
    for word in FILLER:
        if len(word) >= 4:
            words.setdefault(word, FILLER_MEANING + word)
    return SpellIndex(words)


def _german_spellings(folded: str, nouns: Nouns) -> str:
    """German typed without umlauts: "ueber" is "über", "juenger" is "jünger" (only where that makes a known word)."""
    if not any(pair in folded for pair, _ in _UMLAUT_SPELLINGS):
        return folded

    def respell(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in _known() or nouns.noun_for(word) is not None:
            return word
        plain = word
        for pair, single in _UMLAUT_SPELLINGS:
            plain = plain.replace(pair, single)
        stems = [plain] + [plain[: -len(ending)] for ending in _GERMAN_ENDINGS if plain.endswith(ending)]
        if plain != word and (any(stem in _known() for stem in stems) or nouns.noun_for(plain) is not None
                              or GERMAN_NUMBER.fullmatch(plain)):
            return plain
        return word

    return re.sub(r"[a-z]*(?:ae|oe|ue)[a-z]*", respell, folded)


def _as_typed(text: str) -> dict[str, str]:
    """Folded word -> the word as the shopper typed it."""
    typed: dict[str, str] = {}
    for word in _TYPED_WORD.findall(text):
        typed.setdefault(word.lower() if word.isascii() else fold(word), word)
    return typed


def _shown(word: str, nouns: Nouns) -> str:
    """How to report a corrected word: a type's own name for its plain forms ("rabits" -> "rabbit")."""
    noun = nouns.noun_for(word)
    if noun is not None and noun.kind == "type" and noun.stage is None and len(noun.types) == 1:
        name = next(iter(noun.types))
        if word in (name, name + "s", name + "es") or word.rstrip("s").rstrip("ie") == name.rstrip("y"):
            return name
    return word


def _suggestion(word: str, nouns: Nouns) -> str | None:
    """What a word not understood may have meant: a name it is part of, or the closest known word."""
    for form in (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else ""):
        owners = nouns.parts.get(form) if form else None
        if owners:
            breeds = [noun for noun in owners if noun.kind == "breed"]
            return sorted(noun.name for noun in breeds or owners)[0]
    matches = nouns.spelling.candidates(word, limit=max(1, min(2, len(word) // 3)))
    if not matches:
        return None
    choice = best(matches, word) or matches[0]
    owners = nouns.parts.get(choice.word)
    if owners and nouns.noun_for(choice.word) is None:  # "dragones" is near "dragon", part of Bearded Dragon
        breeds = [noun for noun in owners if noun.kind == "breed"]
        return sorted(noun.name for noun in breeds or owners)[0]
    noun = nouns.noun_for(choice.word)
    return noun.name if noun is not None and noun.kind in ("type", "breed") and noun.name else choice.word


def _build(named: dict[str, object]) -> PetFilter:
    try:
        return PetFilter(**named)
    except ValidationError:  # never expected; a parse must not fail a request, so drop the offending groups
        for group in (("min_price", "max_price", "min_price_strict", "max_price_strict"),
                      ("min_age", "max_age", "min_age_strict", "max_age_strict"), ("limit",), ("type", "breed")):
            named = {k: v for k, v in named.items() if k not in group}
            try:
                return PetFilter(**named)
            except ValidationError:
                continue
        return PetFilter()
