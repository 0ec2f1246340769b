"""Order, counts and status: "sorted by price", superlatives ("the cheapest dog"), "top 3", "adopted"."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..models import MAX_PAGE_SIZE, SortOrder
from .lexicon import EITHER, NOUN, PLURAL, SINGULAR
from .text import alternation, words_of

SUPERLATIVES = {
    "cheapest": SortOrder.price_asc, "priciest": SortOrder.price_desc,
    "youngest": SortOrder.age_asc, "oldest": SortOrder.age_desc,
}
_SUP = r"\b(?P<sup>cheapest|priciest|youngest|oldest)\b"
_DESC = (r"high(?:est)?\s*(?:to|-|>|->)\s*low(?:est)?|desc(?:ending)?|decreasing|descending order|reversed?|"
         r"high(?:est)? first|largest first|biggest first")
_ASC = r"low(?:est)?\s*(?:to|-|>|->)\s*high(?:est)?|asc(?:ending)?|increasing|low(?:est)? first|smallest first"


def _by_price(m: re.Match[str]) -> SortOrder:
    return SortOrder.price_desc if re.fullmatch(_DESC, m.group("dir")) else SortOrder.price_asc


def _by_field(m: re.Match[str]) -> SortOrder:
    age = m.group("field").startswith("age")
    direction = m.group("dir") or ""
    descending = bool(re.fullmatch(_DESC, direction)) or direction.startswith("old")
    if age:
        return SortOrder.age_desc if descending else SortOrder.age_asc
    return SortOrder.price_desc if descending else SortOrder.price_asc


EXPLICIT_SORTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], SortOrder]]] = [
    (re.compile(r"\b(?:cheapest|cheap|lowest price)\s+(?:first|to\s+(?:priciest|expensive|most expensive))\b"
                r"|\bby\s+(?:the\s+)?cheapest\b"), lambda m: SortOrder.price_asc),
    (re.compile(r"\b(?:priciest|expensive|highest price)\s+(?:first|to\s+(?:cheapest|cheap))\b"
                r"|\bby\s+(?:the\s+)?priciest\b"), lambda m: SortOrder.price_desc),
    (re.compile(r"\b(?:youngest|young)\s+(?:first|to\s+old(?:est)?)\b|\bby\s+(?:the\s+)?youngest\b"),
     lambda m: SortOrder.age_asc),
    (re.compile(r"\b(?:oldest|old)\s+(?:first|to\s+young(?:est)?)\b|\bby\s+(?:the\s+)?oldest\b"),
     lambda m: SortOrder.age_desc),
    (re.compile(
        rf"(?:\b(?P<verb>sort(?:ed)?|order(?:ed)?|rank(?:ed)?|arrange(?:d)?|organi[sz]ed?|list(?:ed)?)\s+"
        rf"(?:them\s+|it\s+|results\s+|these\s+)?)?(?:\b(?P<by>by|on|per|in order of|according to)\s+)?"
        rf"(?:the\s+|their\s+|its\s+)?\b(?P<field>price|prices|pricing|cost|costs|age|ages)\b"
        rf"\s*[,:(]?\s*(?:from\s+|in\s+)?(?P<dir>{_DESC}|{_ASC}|old(?:est)?\s+to\s+young(?:est)?|"
        rf"young(?:est)?\s+to\s+old(?:est)?|oldest first|youngest first)?"),
     _by_field),
    # "sorted high to low", "high to low" on their own: by price
    (re.compile(rf"\b(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?)\s+(?:from\s+)?(?P<dir>{_DESC}|{_ASC})\b"), _by_price),
    (re.compile(r"\b(?P<dir>high(?:est)?\s*(?:to|-|>|->)\s*low(?:est)?|low(?:est)?\s*(?:to|-|>|->)\s*high(?:est)?)\b"),
     _by_price),
]


ORDER_WORDS: dict[str, SortOrder] = {
    **dict.fromkeys(["cheap", "cheaper", "cheapo", "affordable", "budget", "inexpensive", "bargain", "bargains",
                     "low cost", "low-cost", "low priced", "low-priced", "low price", "economical", "budget friendly",
                     "budget-friendly", "reasonably priced", "good value", "best value", "good deal", "cheaply",
                     "thrifty", "frugal"], SortOrder.price_asc),
    **dict.fromkeys(["expensive", "pricey", "pricy", "premium", "luxury", "luxurious", "fancy", "pricier",
                     "high end", "high-end", "top end", "top-end", "costly", "posh", "upscale", "exclusive",
                     "top dollar"], SortOrder.price_desc),
    **dict.fromkeys(["young", "younger", "baby", "babies", "newborn", "newborns", "juvenile", "juveniles"],
                    SortOrder.age_asc),
    **dict.fromkeys(["old", "older", "senior", "seniors", "elderly", "aged", "mature", "geriatric", "ancient",
                     "anciano", "ancianos", "anciana", "ancianas", "betagt", "betagte", "betagten"],
                    SortOrder.age_desc),
}
ORDER_WORD_RE = re.compile(rf"(?<![\w-])(?:{alternation(ORDER_WORDS)})(?![\w-])")

COUNT_PATTERNS = [
    re.compile(r"\b(?:top|first|best|limit(?:ed)?(?:\s+to)?|only|just|show(?:\s+me)?|give\s+me|list|find(?:\s+me)?|"
               r"get(?:\s+me)?|want|need|pick|suggest|recommend)\s+(?:the\s+)?(?P<n>\d+)(?![\d.])"),
    re.compile(rf"(?<![\w.])(?P<n>\d+)\s+{_SUP}"),
    re.compile(rf"{_SUP}\s+(?P<n>\d+)(?![\d.])"),
    re.compile(rf"(?<![\w.])(?P<n>\d+)(?:\s+[a-z][\w'-]*){{0,2}}?\s+(?P<noun>{NOUN})"),
]
_SUP_NOUN_AFTER = re.compile(rf"{_SUP}(?P<of>\s+(?:1\s+|ones?\s+)?of\b)?(?:\s+[a-z][\w'-]*){{0,2}}?\s+(?P<noun>{NOUN})")
_SUP_NOUN_BEFORE = re.compile(rf"(?P<noun>{NOUN})(?:\s+[a-z][\w'-]*){{0,3}}\s+{_SUP}\Z")
_SUP_ALONE = re.compile(rf"(?P<the>\bthe\s+)?{_SUP}(?P<of>\s+(?:1\s+)?of\b)?")

STATUS_RE = re.compile(
    r"\b(?:(?P<unknown>(?:not|no\s+longer|isn't|aren't)\s+(?:yet\s+)?available)|"
    r"(?P<available>not\s+(?:yet\s+|been\s+)?(?:adopted|sold|reserved)|unsold|unadopted|still\s+available|"
    r"available|for\s+sale|adoptable|up\s+for\s+adoption|for\s+adoption|ready\s+(?:for|to\s+be)\s+adopt(?:ion|ed)|"
    r"can\s+be\s+adopted|in\s+stock|a\s+la\s+venta|en\s+venta|a\s+vendre|zu\s+verkaufen|en\s+adopcion|a\s+adopter)|"
    r"(?P<pending>pending|reserved|on\s+hold|en\s+attente|en\s+espera)|"
    r"(?P<adopted>(?:already\s+|been\s+)?(?:adopted|sold)(?!\s+(?:here|in|at|by|online|as|for))|sold\s+out))\b"
)
NEGATION = re.compile(
    rf"\b(?:not|no|except|excluding|exclude|but\s+not|other\s+than|anything\s+but|besides|apart\s+from|without|"
    rf"aside\s+from|instead\s+of)\s+(?:any\s+|the\s+|a\s+|an\s+)?(?P<nouns>{NOUN}(?:\s*(?:,|or|and|nor)?\s*{NOUN})*)"
)
NEGATION_WORDS = {"not", "no", "except", "excluding", "exclude", "but", "other", "anything", "besides", "apart",
                   "without", "aside", "instead"}
SORT_WORDS = {"first", "to", "high", "highest", "low", "lowest", "by", "sort", "sorted", "order", "ordered", "rank", "ranked", "arrange", "arranged",
               "organised", "organized", "organise", "organize", "list", "listed", "in", "according", "on", "per",
               "price", "prices", "pricing", "cost", "costs", "age", "ages", "desc", "descending", "asc",
               "ascending", "decreasing", "increasing", "reverse", "reversed"}
STATUS_WORDS = {"available", "sale", "adoptable", "adoption", "adopted", "sold", "unsold", "unadopted", "pending",
                 "reserved", "hold", "stock", "venta", "vendre", "verkaufen", "adopcion", "adopter", "attente",
                 "espera"}


def _noun_number(marker: str) -> str:
    return marker[-1]


def limit(text: str) -> int | None:
    for pattern in COUNT_PATTERNS:
        for m in pattern.finditer(text):
            n = int(float(m.group("n"))) if float(m.group("n")).is_integer() else 0
            if not 1 <= n <= MAX_PAGE_SIZE:
                continue
            noun = m.groupdict().get("noun")
            if noun and _noun_number(noun) != EITHER and (_noun_number(noun) == PLURAL) != (n > 1):
                continue
            return n
    return None


def superlative(text: str) -> tuple[SortOrder | None, bool]:
    """The first superlative's order, and whether it asks for a single pet."""
    found = _SUP_ALONE.search(text)
    if not found:
        return None, False
    order = SUPERLATIVES[found.group("sup")]
    after = _SUP_NOUN_AFTER.search(text, found.start("sup"))
    if found.group("of") or (after and after.start() == found.start("sup") and after.group("of")):
        return order, True
    noun = after.group("noun") if after and after.start() == found.start("sup") else None
    if noun is None:
        before = _SUP_NOUN_BEFORE.search(text[: found.end("sup")])
        noun = before.group("noun") if before else None
    number = _noun_number(noun) if noun else EITHER
    if number == EITHER:
        return order, bool(found.group("the"))
    return order, number == SINGULAR


def explicit_sort(text: str) -> tuple[SortOrder | None, str]:
    """An explicit order ("sorted by price", "youngest first"), and the text without it."""
    for pattern, order in EXPLICIT_SORTS:
        for m in pattern.finditer(text):
            if "field" in pattern.groupindex and not (m.group("verb") or m.group("by") or m.group("dir")):
                continue
            return order(m), text[: m.start()] + " " + text[m.end():]
    return None, text


def _stem(word: str) -> str:
    """"sorted" and "sort" mean the same to a typo: "sortd" is either."""
    if word.endswith("ed") and len(word) > 4:
        return word[:-1] if word[:-2].endswith(("g", "s", "v", "z")) else word[:-2]
    return word


WORDS = words_of(
    *(pattern.pattern for pattern, _ in EXPLICIT_SORTS), *(pattern.pattern for pattern in COUNT_PATTERNS),
    STATUS_RE.pattern, NEGATION.pattern, _SUP, _DESC, _ASC, *ORDER_WORDS, *SORT_WORDS, *STATUS_WORDS, *NEGATION_WORDS,
)
LEXICON = {**{word: order.value for word, order in ORDER_WORDS.items() if " " not in word and "-" not in word},
           **{word: order.value for word, order in SUPERLATIVES.items()},
           **{word: _stem(word) for word in SORT_WORDS}, **{word: word for word in STATUS_WORDS}}
