"""The deterministic keyword parser: a sentence in, a PetFilter holding only what the sentence names.

The text goes through four stages, each a table or a handful of precompiled patterns:

1. normalise: lowercase, accents folded, number words and `1,000` / `1.5k` turned into digits, and
   Spanish / French / German core phrases rewritten into their English equivalents;
2. nouns: breeds and pet types (from the store's vocabulary and the built-in word table) are replaced by
   markers such as ``N0P`` (noun 0, plural) so later patterns can see "a noun is here" and its number;
3. bounds: ages (which need a unit, "old", or an age word), then prices, each match consumed so that its
   number is never read again as a count;
4. order, count, status: explicit "sorted by ..." phrases, superlatives, counts, order adjectives and
   status words.

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

from pydantic import ValidationError

from ..models import PetFilter, PetStatus
from .bounds import Ranges
from .languages import to_english
from .lexicon import MARKER, Noun, nouns_for
from .numbers import DIGIT, spell_out
from .order import (
    NEGATION,
    NEGATION_WORDS,
    ORDER_WORD_RE,
    ORDER_WORDS,
    SORT_WORDS,
    STATUS_RE,
    STATUS_WORDS,
    SUPERLATIVES,
    explicit_sort,
    limit,
    superlative,
)
from .text import WORD, fold, squash
from .turns import starts_over
from .vocabulary import Vocabulary

__all__ = ["parse_query", "starts_over"]


def normalise(text: str) -> str:
    """Folded, numbers as digits, es/fr/de phrasings in English, padded with spaces."""
    return " " + squash(to_english(spell_out(fold(text)))) + " "


def parse_query(text: str, vocabulary: Vocabulary) -> PetFilter:
    """The filter that `text` names, and nothing else: unnamed fields stay unset (see `model_fields_set`)."""
    found: list[Noun] = []
    ranges = Ranges()
    s = nouns_for(vocabulary).mark(normalise(text), found)
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

    explicit, s = explicit_sort(s) if words & SORT_WORDS else (None, s)
    top, single = superlative(s) if words & SUPERLATIVES.keys() else (None, False)
    adjective = ORDER_WORD_RE.search(s)
    order = explicit or top or (ORDER_WORDS[squash(adjective.group(0))] if adjective else None)
    if order:
        named["sort"] = order
    count = (limit(s) if has_digit else None) or (1 if single else None)
    if count:
        named["limit"] = count

    status = STATUS_RE.search(s) if words & STATUS_WORDS else None
    if status and not status.group("unknown"):
        named["status"] = PetStatus(next(k for k, v in status.groupdict().items() if v))

    return _build(named)


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
