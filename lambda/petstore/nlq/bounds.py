"""Prices and ages: comparators ("under", "at least", "<="), ranges ("between 2 and 5 years"), units and currencies.

`Ranges.read` consumes each bound it understands from the text (so its number is never read again as a
count) and collects the bounds; `fields` turns them into filter fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import MAX_AGE, MAX_PAGE_SIZE, MAX_PRICE
from .lexicon import NOUN
from .text import alternation, squash, words_of

_YEARS = r"years?|yrs?|yo|y/o|y\.o\.?|anos?|ans?|jahren?|jahr"
_MONTHS = r"months?|mos?|mths?|meses|mes|mois|monaten?|monat"
_WEEKS = r"weeks?|wks?|semanas?|semaines?|wochen?|woche"
_OLD = r"(?:[\s-]*(?:old|de edad|d'age|d age)\b)?"


def _num(name: str) -> str:
    return rf"(?<![\w.])(?P<{name}>\d+(?:\.\d+)?)(?![\d])"


def _unit(name: str) -> str:
    return rf"(?P<{name}>{_YEARS}|{_MONTHS}|{_WEEKS})(?![a-z])"


def _price(n: int) -> str:
    return (
        rf"(?P<pre{n}>[$€£]|us\$|usd|eur\b)?\s*{_num(f'n{n}')}"
        rf"(?:\s*(?P<post{n}>(?:dollars?|bucks?|usd|eur(?:os?)?|pounds?|quid)\b|[$€£]))?"
    )


# (phrase, bound, strict, domain): domain "age" makes the number an age even without a unit.
_COMPARATORS: list[tuple[str, str, bool, str]] = [
    *[(p, "max", True, "age") for p in ["younger than", "younger then", "less old than"]],
    *[(p, "max", False, "age") for p in ["no older than", "not older than"]],
    *[(p, "min", True, "age") for p in ["older than", "older then"]],
    *[(p, "min", False, "age") for p in ["no younger than", "not younger than"]],
    *[(p, "max", True, "price") for p in ["cheaper than", "cheaper then", "for less than", "for under"]],
    *[(p, "min", True, "price") for p in ["pricier than", "costlier than"]],
    *[(p, "max", False, "price") for p in [
        "budget", "budget of", "budget is", "a budget of", "my budget is", "budget around", "within", "within budget of",
        "within a budget of", "within my budget of", "cost no more than", "costs no more than", "for at most",
        "for up to", "for no more than", "for", "max budget", "maximum budget", "max budget of", "spend up to",
        "spend at most", "spend no more than", "spend", "can spend", "afford", "can afford"]],
    *[(p, "max", True, "any") for p in [
        "under", "below", "less than", "less then", "lower than", "beneath", "fewer than", "<", "sub", "underneath",
        "no more then"]],
    *[(p, "max", False, "any") for p in [
        "at most", "up to", "upto", "no more than", "not more than", "no higher than", "not higher than",
        "not over", "not above", "no greater than", "max", "maximum", "max of", "maximum of", "<=", "until",
        "not exceeding", "at max", "max.", "tops"]],
    *[(p, "min", True, "any") for p in [
        "over", "above", "more than", "more then", "greater than", "higher than", "exceeding", "beyond", ">",
        "upwards of", "in excess of"]],
    *[(p, "min", False, "any") for p in [
        "at least", "no less than", "not less than", "not under", "not below", "min", "minimum", "min of",
        "minimum of", "from", "starting at", "starting from", "starts at", ">=", "no lower than", "not lower than"]],
]
_COMPARATOR_INFO = {squash(p): (bound, strict, domain) for p, bound, strict, domain in _COMPARATORS}
_COMPARATOR = rf"(?<![\w<>=])(?P<cmp>{alternation(p for p, *_ in _COMPARATORS)})(?:(?<=[<>=.])|(?![\w]))"
_AGE_WORD = r"(?:the\s+)?age[sd]?(?:\s+(?:is|of))?|aged?"
_PRICE_WORD = r"(?:(?:the\s+|a\s+)?(?:price|cost|prices)(?:\s+(?:is|of|tag\s+of))?\s*)"

_AGE_RANGE = re.compile(
    rf"(?<![\w.])(?:(?P<ageword>\bage[sd]?)\s+)?(?:(?P<pre>between|from)\s+)?(?<![$€£]){_num('a')}(?:[\s-]*{_unit('ua')})?{_OLD}"
    rf"\s*(?P<conn>and|to|-|through|thru|up to|y|et|und|or)\s*{_num('b')}(?:[\s-]*{_unit('ub')})?{_OLD}"
)
_AGE_BOUND = re.compile(
    rf"(?<![\w.])(?:\b(?P<agepre>{_AGE_WORD})\s*)?{_COMPARATOR}\s*(?:(?P<agequal>{_AGE_WORD})\s+)?(?<![$€£]){_num('a')}"
    rf"(?:[\s-]*{_unit('ua')})?(?P<old>{_OLD})"
)
_AGE_POSTFIX = re.compile(
    rf"(?<![\w.])(?:\b(?:aged?|ages?)\s+)?{_num('a')}\s*(?P<plus>\+)?[\s-]*{_unit('ua')}{_OLD}\s*(?:(?P<max>(?:or|and)\s+(?:younger|less|under|below|"
    rf"lower)|max(?:imum)?|at most|tops)|(?P<min>(?:or|and)\s+(?:older|more|over|above|up|higher|greater)|\+|plus|"
    rf"min(?:imum)?|at least))?"
)
_AGE_POSTFIX_BARE = re.compile(rf"(?<![\w.$€£])(?:\b(?:aged?|ages?)\s+)?{_num('a')}\s*(?:or|and)\s+(?P<dir>younger|older)\b")
_AGE_WORD_ONLY = re.compile(rf"\b(?:aged?|ages?)\s+{_num('a')}(?![\s-]*(?:[$€£]|dollars?|bucks|euros?|usd))")

_PRICE_RANGE = re.compile(
    rf"(?<![\w.])(?:(?P<pre>between|from|price[sd]?|costing|cost)\s+)?{_price(1)}\s*(?P<conn>and|to|-|through|thru|up to|y|et|und)\s*{_price(2)}"
)
_PRICE_BOUND = re.compile(rf"(?<![\w.])(?:{_PRICE_WORD})?{_COMPARATOR}\s*(?::\s*)?{_PRICE_WORD}?{_price(1)}")
_PRICE_POSTFIX = re.compile(
    rf"(?<![\w.]){_price(1)}\s*(?:(?P<max>(?:or|and)\s+(?:less|under|below|cheaper|lower)|max(?:imum)?\b|tops\b|at most\b|"
    rf"budget\b)|(?P<min>(?:or|and)\s+(?:more|over|above|up|higher|greater)\b|\+|plus\b|min(?:imum)?\b|at least\b))"
)
_PRICE_AROUND = re.compile(
    rf"\b(?:around|about|approximately|approx|roughly|circa|~|cerca de|alrededor de|unos|environ|etwa|ungefahr|rund)"
    rf"\s*{_price(1)}"
)
_PRICE_BARE = re.compile(rf"(?<![\w.]){_price(1)}")


def _years(value: float, unit: str | None) -> float:
    if unit and re.fullmatch(_MONTHS, unit):
        return round(value / 12, 4)
    if unit and re.fullmatch(_WEEKS, unit):
        return round(value / 52, 4)
    return value


def _currency(m: re.Match[str], n: int) -> bool:
    return bool(m.group(f"pre{n}") or m.group(f"post{n}"))


_NOUN_NEXT = re.compile(rf"\s*(?:[a-z][\w'-]*\s+)?{NOUN}")


def _counts_nouns(m: re.Match[str], n: int) -> bool:
    """A small whole number without currency right before a noun is a count, not a price."""
    value = float(m.group(f"n{n}"))
    return (not _currency(m, n) and value.is_integer() and 1 <= value <= MAX_PAGE_SIZE
            and bool(_NOUN_NEXT.match(m.string, m.end())))



@dataclass
class Bounds:
    mins: list[tuple[float, bool]] = field(default_factory=list)
    maxes: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, bound: str, value: float, strict: bool, ceiling: float) -> None:
        # Out of the store's range a bound still means something: "under 2 million" is every price (no bound),
        # "over 2 million" none (strictly above the highest price a pet may have).
        if value > ceiling:
            if bound == "max":
                return
            value, strict = ceiling, True
        if value >= 0:
            (self.mins if bound == "min" else self.maxes).append((value, strict))

    def fields(self, prefix: str) -> dict[str, object]:
        # The tighter bound wins; at equal values the strict one is tighter.
        low = max(self.mins, key=lambda b: (b[0], b[1])) if self.mins else None
        high = min(self.maxes, key=lambda b: (b[0], not b[1])) if self.maxes else None
        if low and high and low[0] > high[0]:
            return {}
        out: dict[str, object] = {}
        if low:
            out[f"min_{prefix}"], out[f"min_{prefix}_strict"] = low
        if high:
            out[f"max_{prefix}"], out[f"max_{prefix}_strict"] = high
        return out


@dataclass
class Ranges:
    ages: Bounds = field(default_factory=Bounds)
    prices: Bounds = field(default_factory=Bounds)

    def read(self, text: str) -> str:
        """Collect the ages, then the prices, the text names; returns the text with each bound consumed."""
        for pattern, handler in (
            (_AGE_RANGE, self.age_range), (_AGE_BOUND, self.age_bound), (_AGE_POSTFIX, self.age_postfix),
            (_AGE_POSTFIX_BARE, self.age_postfix_bare), (_AGE_WORD_ONLY, self.age_word_only),
            (_PRICE_RANGE, self.price_range), (_PRICE_BOUND, self.price_bound), (_PRICE_POSTFIX, self.price_postfix),
            (_PRICE_AROUND, self.price_around), (_PRICE_BARE, self.price_bare),
        ):
            text = pattern.sub(handler, text)
        return text

    def fields(self) -> dict[str, object]:
        return {**self.prices.fields("price"), **self.ages.fields("age")}

    # -- ages
    def age_range(self, m: re.Match[str]) -> str:
        unit_a, unit_b, age_word = m.group("ua"), m.group("ub"), m.group("ageword")
        # "1-3 years", "between 1 and 3 years", "ages 2 to 5", "6 months to 2 years"; not "under 500 and 2 years"
        if not (unit_b or unit_a or age_word):
            return m.group(0)
        if not (unit_a or age_word or m.group("pre") or m.group("conn") in ("-", "to", "or", "through", "thru")):
            return m.group(0)
        low = _years(float(m.group("a")), m.group("ua") or unit_b)
        high = _years(float(m.group("b")), unit_b or m.group("ua"))
        low, high = min(low, high), max(low, high)
        self.ages.add("min", low, False, MAX_AGE)
        self.ages.add("max", high, False, MAX_AGE)
        return " "

    def age_bound(self, m: re.Match[str]) -> str:
        bound, strict, domain = _COMPARATOR_INFO[squash(m.group("cmp"))]
        is_age = domain == "age" or m.group("ua") or m.group("agepre") or m.group("agequal") or m.group("old").strip()
        if not is_age or domain == "price":
            return m.group(0)
        self.ages.add(bound, _years(float(m.group("a")), m.group("ua")), strict, MAX_AGE)
        return " "

    def age_postfix(self, m: re.Match[str]) -> str:
        value = _years(float(m.group("a")), m.group("ua"))
        if m.group("max"):
            self.ages.add("max", value, False, MAX_AGE)
        elif m.group("min") or m.group("plus"):
            self.ages.add("min", value, False, MAX_AGE)
        else:
            self.exact_age(float(m.group("a")), m.group("ua"))
        return " "

    def exact_age(self, number: float, unit: str | None) -> None:
        if number.is_integer():
            self.ages.add("min", _years(number, unit), False, MAX_AGE)
            self.ages.add("max", _years(number + 1, unit), True, MAX_AGE)
        else:
            self.ages.add("min", _years(number, unit), False, MAX_AGE)
            self.ages.add("max", _years(number, unit), False, MAX_AGE)

    def age_postfix_bare(self, m: re.Match[str]) -> str:
        bound = "max" if m.group("dir") == "younger" else "min"
        self.ages.add(bound, float(m.group("a")), False, MAX_AGE)
        return " "

    def age_word_only(self, m: re.Match[str]) -> str:
        self.exact_age(float(m.group("a")), None)
        return " "

    # -- prices
    def price_range(self, m: re.Match[str]) -> str:
        if _counts_nouns(m, 2) and not _currency(m, 1) and float(m.group("n2")) <= 10:  # "2 to 3 dogs" counts
            return m.group(0)
        if m.group("conn") in ("and", "y", "et", "und") and m.group("pre") not in ("between",):
            return m.group(0)
        if m.group("conn") not in ("-", "to") and not m.group("pre") and not (_currency(m, 1) or _currency(m, 2)):
            return m.group(0)
        low, high = sorted((float(m.group("n1")), float(m.group("n2"))))
        self.prices.add("min", low, False, MAX_PRICE)
        self.prices.add("max", high, False, MAX_PRICE)
        return " "

    def price_bound(self, m: re.Match[str]) -> str:
        bound, strict, domain = _COMPARATOR_INFO[squash(m.group("cmp"))]
        if domain == "age" or _counts_nouns(m, 1):  # "up to 3 dogs" counts dogs
            return m.group(0)
        if m.group("cmp") == "for" and not _currency(m, 1) and float(m.group("n1")) < 10:  # "good for 2 kids"
            return m.group(0)
        self.prices.add(bound, float(m.group("n1")), strict, MAX_PRICE)
        return " "

    def price_postfix(self, m: re.Match[str]) -> str:
        if _counts_nouns(m, 1):  # "3 or more dogs"
            return m.group(0)
        self.prices.add("max" if m.group("max") else "min", float(m.group("n1")), False, MAX_PRICE)
        return " "

    def price_around(self, m: re.Match[str]) -> str:
        value = float(m.group("n1"))
        self.prices.add("min", round(value * 0.8, 2), False, MAX_PRICE)
        self.prices.add("max", round(value * 1.2, 2), False, MAX_PRICE)
        return " "

    def price_bare(self, m: re.Match[str]) -> str:
        if not _currency(m, 1):
            return m.group(0)
        self.prices.add("max", float(m.group("n1")), False, MAX_PRICE)
        return " "


WORDS = words_of(*(pattern.pattern for pattern in (
    _AGE_RANGE, _AGE_BOUND, _AGE_POSTFIX, _AGE_POSTFIX_BARE, _AGE_WORD_ONLY, _PRICE_RANGE, _PRICE_BOUND, _PRICE_POSTFIX,
    _PRICE_AROUND, _PRICE_BARE,
)))
# Words a typo may be meant as (each means itself).
LEXICON = words_of(*(phrase for phrase, *_ in _COMPARATORS),
                   "years months weeks old dollars bucks euros pounds between around about approximately roughly")
