"""Text helpers shared by the parser's stages: case and accent folding, tokens, regex alternations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TOKEN = re.compile(r"[a-z0-9]+")
WORD = re.compile(r"[a-z]+")


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (so "no more than" beats "more than")."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Applied before accents are folded, where the accent is what tells two words apart (French "âgé" is old,
# "âge" is age).
_BEFORE_FOLD = [
    (re.compile(r"\bâgé(?:e|s|es)?\s+d[e']"), " aged "),
    (re.compile(r"\bâgé(?:e|s|es)?\b"), " old "),
    (re.compile(r"[’‘`´]"), "'"),
    (re.compile(r"ß"), "ss"),
    (re.compile(r"œ"), "oe"),
    (re.compile(r"≤|=<"), " <= "),
    (re.compile(r"≥|=>"), " >= "),
    (re.compile(r"[–—−]"), "-"),
]


def fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        text = text.replace("=<", " <= ").replace("=>", " >= ")
    else:
        for pattern, replacement in _BEFORE_FOLD:
            text = pattern.sub(replacement, text)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return squash(text)



def words_of(*sources: str) -> frozenset[str]:
    """The words (two letters or more) in phrases and regex sources: what a grammar table understands."""
    found: set[str] = set()
    for source in sources:
        source = re.sub(r"\(\?P<\w+>|\\[a-zA-Z]|\{\d*,?\d*\}", " ", source)
        found.update(re.findall(r"[a-z]{2,}", source))
    return frozenset(found)
