"""Numbers as shoppers write them: digits with separators, "1.5k", "two grand", "deux mille", "zwei Tausend"."""

from __future__ import annotations

import re
from collections.abc import Callable

from .text import alternation, words_of

Sub = Callable[[re.Match[str]], str]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "diez": 10, "dix": 10, "zehn": 10, "elf": 11, "zwolf": 12, "dreizehn": 13, "vierzehn": 14,
    "funfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
}
_HUNDREDS = {
    "doscientos": 200, "trescientos": 300, "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600,
    "setecientos": 700, "ochocientos": 800, "novecientos": 900,
}
_MULTIPLIERS = {
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12, "cien": 100, "ciento": 100,
    "cent": 100, "cents": 100, "hundert": 100, "mil": 1000, "mille": 1000, "tausend": 1000, "grand": 1000,
}
_JOINERS = {"and", "y", "et"}
NUMBER_WORDS = {**_UNITS, **_TEENS, **_TENS, **_HUNDREDS, **_MULTIPLIERS}
_NUMBER_RUN = re.compile(
    rf"\b(?:an?(?=[\s-]+(?:hundred|thousand|dozen|million|grand)\b)|{alternation(NUMBER_WORDS)})"
    rf"(?:(?:[\s-]+(?:and|y|et)[\s-]+|[\s-]+)(?:an?(?=[\s-]+(?:hundred|thousand|dozen|million|grand)\b)|{alternation(NUMBER_WORDS)}))*\b"
)


def _fmt(value: float) -> str:
    value = round(value, 4)
    return str(int(value)) if float(value).is_integer() else repr(value)


def _spell_numbers(match: re.Match[str]) -> str:
    """'two thousand five hundred' -> '2500'; 'two and five' -> '2 and 5'."""
    words = re.split(r"[\s-]+", match.group(0))
    out: list[str] = []
    total = current = 0
    active = False
    last = ""

    def flush() -> None:
        nonlocal total, current, active, last
        if active:
            out.append(_fmt(total + current))
        total = current = 0
        active, last = False, ""

    def start(value: int, kind: str) -> None:
        nonlocal current, active, last
        flush()
        current, active, last = value, True, kind

    for i, word in enumerate(words):
        if word in _JOINERS:
            following = words[i + 1] if i + 1 < len(words) else ""
            after = words[i + 2] if i + 2 < len(words) else ""
            small = following in _UNITS or following in _TEENS or following in _TENS
            if active and last == "mult" and small and after not in _MULTIPLIERS and current % 100 == 0:
                continue  # "one hundred and fifty"
            flush()
            out.append(word)
            continue
        if word in ("a", "an"):
            start(1, "unit")
        elif word in _MULTIPLIERS:
            factor = _MULTIPLIERS[word]
            if not active:
                if word in ("cents", "grand"):  # "99 cents", "un grand chien" (a big dog): not numbers
                    out.append(word)
                    continue
                start(1, "unit")
            if factor < 1000:  # hundred, dozen
                if current == 0 or current >= 100:
                    start(factor, "mult")
                else:
                    current *= factor
            else:
                if total >= factor:
                    flush()
                    active = True
                total += max(current, 1) * factor
                current = 0
            last = "mult"
        elif word in _UNITS:
            if active and last in ("tens", "mult", "hund") and current % 10 == 0:
                current += _UNITS[word]
                last = "unit"
            else:
                start(_UNITS[word], "unit")
        elif word in _TEENS or word in _TENS:
            value, kind = (_TEENS[word], "teen") if word in _TEENS else (_TENS[word], "tens")
            if active and last in ("mult", "hund") and current % 100 == 0:
                current += value
                last = kind
            else:
                start(value, kind)
        elif word in _HUNDREDS:
            if active and last == "mult" and current == 0 and total > 0:
                current += _HUNDREDS[word]
                last = "hund"
            else:
                start(_HUNDREDS[word], "hund")
    flush()
    return " " + " ".join(out) + " "


def _factor(word: str) -> int:
    return 100 if word in ("hundred", "hundert") else 1_000_000 if word == "million" else 1000


def _scaled(match: re.Match[str]) -> str:
    return f" {_fmt(float(match.group(1)) * _factor(match.group(2)))} "


def _and_a_half(match: re.Match[str]) -> str:
    """'3 and a half' is 3.5; a round 1000 or 200 ('a grand and a half', 'two hundred and a half') is half its
    leading unit more: 1500, 250."""
    value = int(match.group(1))
    unit = 10 ** (len(str(value)) - 1)
    return _fmt(value + unit / 2) if value >= 100 and value % unit == 0 else f"{value}.5"


_SMALL = {**_UNITS, **_TEENS, **_TENS}


def _small(word: str) -> int:
    return _SMALL[word] if word in _SMALL else int(word)

_SCALE_WORDS = "k|grand|thousand|tausend|mille|mil|million|hundred|hundert"


# (needle, pattern, replacement): a step runs only when its needle is in the text (None: "a digit is").
_NUMBER_STEPS: list[tuple[str | None, re.Pattern[str], str | Sub]] = [
    # 1,000 and 1,500.50 (English), 1.000 and 1.500,50 (European), then 1,5 (a decimal comma)
    (None, re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)"), lambda m: m.group(0).replace(",", "")),
    (None, re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?(?![\d.]|,\d)"),
     lambda m: m.group(0).replace(".", "").replace(",", ".")),
    (None, re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])"), r"\1.\2"),
    # 1 500 (French and German group thousands with a space)
    (None, re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?: \d{3})+(?![\d,]|\.\d)"), lambda m: m.group(0).replace(" ", "")),
    (None, re.compile(rf"(\d+(?:\.\d+)?)\s*({_SCALE_WORDS})\b"), _scaled),
    ("half", re.compile(r"\bhalf\s+an?\s+dozen\b"), " 6 "),
    ("half", re.compile(r"\bhalf\s+an?\s+(grand|thousand|million|hundred)\b"), lambda m: f" {_fmt(_factor(m.group(1)) / 2)} "),
    # "two and a half thousand", "1 and a half grand"
    ("half", re.compile(rf"\b(\d+|{alternation(_SMALL)})\s+and\s+a\s+half\s+({_SCALE_WORDS})\b"),
     lambda m: f" {_fmt((_small(m.group(1)) + 0.5) * _factor(m.group(2)))} "),
    ("half", re.compile(r"\ban?\s+(year|month|week)s?\s+and\s+a\s+half\b"), r" 1.5 \1s "),
    ("half", re.compile(r"\bhalf\s+an?\s+(year|month)\b"), r" 0.5 \1 "),
    ("a", re.compile(r"\ban?\s+(?=(?:year|month|week|yr)s?\b)"), " 1 "),
    ("n", re.compile(r"\b(?:un|une|una|uno|ein|eine|einem|einen)\s+(?=(?:an|ano|jahr|mes|mois|monat|semana|semaine|woche)\b)"), " 1 "),
    ("a", re.compile(r"\ba\s+(?:couple|pair)(?:\s+of)?\b"), " 2 "),
    ("", _NUMBER_RUN, _spell_numbers),
    ("half", re.compile(r"\b(\d+)\s+and\s+a\s+half\b"), _and_a_half),
]
DIGIT = re.compile(r"\d")


# German writes numbers as one word, units before tens: "zweitausend", "fünfundzwanzig" (five-and-twenty).
_GERMAN_MORPHEMES = [word for word in NUMBER_WORDS if word in (
    "eins", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwolf", "dreizehn",
    "vierzehn", "funfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn", "zwanzig", "dreissig", "vierzig",
    "funfzig", "sechzig", "siebzig", "achtzig", "neunzig", "hundert", "tausend")] + ["ein", "sieb", "und"]
_GERMAN_PART = re.compile(alternation(_GERMAN_MORPHEMES))
GERMAN_NUMBER = re.compile(rf"(?:{alternation(_GERMAN_MORPHEMES)}){{2,}}")
_GERMAN_TENS = {"zwanzig", "dreissig", "vierzig", "funfzig", "sechzig", "siebzig", "achtzig", "neunzig"}


def _split_german(match: re.Match[str]) -> str:
    word = match.group(0)
    if not GERMAN_NUMBER.fullmatch(word) or word == "und":
        return word
    parts = ["eins" if part == "ein" else "sieben" if part == "sieb" else part for part in _GERMAN_PART.findall(word)]
    out: list[str] = []
    for part in parts:
        if part in _GERMAN_TENS and len(out) >= 2 and out[-1] == "und":  # "funf und zwanzig" is 20 + 5
            out[-2:] = [part, out[-2]]
        else:
            out.append(part)
    return " " + " ".join(out) + " "


def spell_out(text: str) -> str:
    """Every number in the (folded) text as plain digits: "1,500" -> "1500", "two hundred" -> "200"."""
    if "hundert" in text or "tausend" in text or "zig" in text or "zehn" in text:
        text = re.sub(r"[a-z]{6,}", _split_german, text)
    has_digit = bool(DIGIT.search(text))
    for needle, pattern, replacement in _NUMBER_STEPS:
        if (needle is None and has_digit) or (needle is not None and needle in text):
            text = pattern.sub(replacement, text)
    return text


WORDS = frozenset(NUMBER_WORDS) | words_of(*(pattern.pattern for _, pattern, _ in _NUMBER_STEPS if pattern is not _NUMBER_RUN))
LEXICON = frozenset(word for word in NUMBER_WORDS if len(word) >= 4) | {"grand"}
