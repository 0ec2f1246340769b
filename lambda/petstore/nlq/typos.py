"""Forgiving typos against the parser's own words: "doggs" is "dogs", "hamstrs" is "hamsters".

A word is corrected only when it is long enough to carry a typo (none for words of three letters or fewer,
one edit up to six letters, two from seven, keeping the first letter; a four-letter word only for two letters
swapped or a letter doubled), is not a real word of its own (`filler.REAL_WORDS`), and one meaning is clearly
the best: every candidate at the
smallest distance means the same thing, or only one of those meanings keeps the word's first letter
("cheep" is "cheap", not "sheep"). Edits are
insertions, deletions, substitutions and swaps of two neighbouring letters.

Candidates are found with a deletion index (each word stored under every spelling with up to its allowed
number of letters removed), so a look-up costs a few dozen set probes, not a scan of the lexicon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


FILLER_MEANING = "filler:"


def allowed_edits(word: str) -> int:
    if len(word) <= 3 or not word.isalpha():
        return 0
    return 1 if len(word) <= 6 else 2


def _deletions(word: str, edits: int) -> set[str]:
    """The word with up to `edits` letters removed (never all of them)."""
    found = {word}
    layer = {word}
    for _ in range(edits):
        layer = {w[:i] + w[i + 1:] for w in layer if len(w) > 2 for i in range(len(w))}
        found |= layer
    return found


def _undoubled(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1]}


def _slip(word: str, candidate: str) -> bool:
    """A four-letter word is read as another only for a slip of the fingers (two neighbours swapped, a letter
    missed, a letter doubled), never for another or an extra letter: "bard" is a word of its own, not "bird"."""
    if len(word) == len(candidate):
        return sorted(word) == sorted(candidate)
    if len(candidate) == len(word) + 1:
        return True  # one letter missed: "undr", "chep"
    return candidate in _undoubled(word)


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or limit + 1 when it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


@dataclass(frozen=True)
class Match:
    word: str  # the lexicon word it was read as
    meaning: str
    edits: int
    rank: int = 0  # order of the word in the lexicon: earlier words are preferred among equals
    preferred: bool = False  # a canonical spelling (a type's own name), preferred among equals


class SpellIndex:
    """Words and what each means (words of one meaning are interchangeable for "clearly best")."""

    def __init__(self, words: Mapping[str, str] | Iterable[tuple[str, str]], preferred: Iterable[str] = ()) -> None:
        items = words.items() if isinstance(words, Mapping) else words
        self._preferred = frozenset(preferred)
        self._meaning: dict[str, str] = {}
        self._rank: dict[str, int] = {}
        self._index: dict[str, set[str]] = {}
        for word, meaning in items:
            if len(word) < 3 or not word.isalpha() or word in self._meaning:
                continue
            self._meaning[word] = meaning
            self._rank[word] = len(self._rank)
            for key in _deletions(word, max(allowed_edits(word), 1)):
                self._index.setdefault(key, set()).add(word)

    def __contains__(self, word: str) -> bool:
        return word in self._meaning

    def candidates(self, word: str, limit: int | None = None) -> list[Match]:
        """Lexicon words within `limit` edits (default: what `word` allows), closest first."""
        limit = allowed_edits(word) if limit is None else limit
        if limit == 0:
            return []
        seen: set[str] = set()
        for key in _deletions(word, limit):
            seen.update(self._index.get(key, ()))
        matches = []
        for candidate in seen:
            edits = distance(word, candidate, limit)
            if edits <= limit and (len(word) > 4 or limit > 1 or _slip(word, candidate)):
                matches.append(Match(candidate, self._meaning[candidate], edits, self._rank[candidate],
                                     candidate in self._preferred or candidate == self._meaning[candidate]))
        return sorted(matches, key=lambda m: (m.edits, m.rank))


def best(matches: list[Match], word: str = "") -> Match | None:
    """The clearly best match, or None: all the closest candidates share one meaning, or (a typo rarely hits
    the first letter) exactly one of the meanings among them starts with the word's first letter. Words that
    mean nothing to a filter ("filler:" meanings) count only when nothing else is as close."""
    # Two slips in one word keep its first letter ("retreivr"), or it was another word ("herding", not "pending").
    matches = [m for m in matches if m.edits < 2 or not word or m.word[:1] == word[:1]]
    if not matches:
        return None
    closest = [m for m in matches if m.edits == matches[0].edits]
    meaningful = [m for m in closest if not m.meaning.startswith(FILLER_MEANING)]
    closest = meaningful or closest
    if len({m.meaning for m in closest}) > 1:
        closest = [m for m in closest if word and m.word[:1] == word[:1]]
        if len({m.meaning for m in closest}) != 1:
            return None
    # Of interchangeable words: the one keeping the typed word's last letter, a canonical spelling, the more
    # common word (earlier in its table), the longest common beginning.
    return min(closest, key=lambda m: (m.word[-1:] != word[-1:], not m.preferred, m.rank, -_common_prefix(m.word, word)))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def correct(word: str, *indexes: SpellIndex) -> Match | None:
    """What `word` was meant to be, from the indexes together, when one meaning is clearly best."""
    matches = sorted((m for index in indexes for m in index.candidates(word)), key=lambda m: (m.edits, m.rank))
    return best(matches, word)
