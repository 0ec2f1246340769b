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

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..models import MAX_AGE, MAX_PAGE_SIZE, MAX_PRICE, PetFilter, PetStatus, SortOrder
from .vocabulary import Vocabulary

Sub = Callable[[re.Match[str]], str]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (so "no more than" beats "more than")."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------------
# 1. Normalisation
# ---------------------------------------------------------------------------------------------------

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

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "diez": 10, "dix": 10, "zehn": 10, "zwolf": 12,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50, "sechzig": 60,
}
_HUNDREDS = {
    "doscientos": 200, "trescientos": 300, "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600,
    "setecientos": 700, "ochocientos": 800, "novecientos": 900,
}
_MULTIPLIERS = {
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12, "cien": 100, "ciento": 100,
    "cent": 100, "cents": 100, "hundert": 100, "mil": 1000, "mille": 1000, "tausend": 1000,
}
_JOINERS = {"and", "y", "et"}
_NUMBER_WORDS = {**_UNITS, **_TEENS, **_TENS, **_HUNDREDS, **_MULTIPLIERS}
_NUMBER_RUN = re.compile(
    rf"\b(?:an?(?=[\s-]+(?:hundred|thousand|dozen|million)\b)|{_alternation(_NUMBER_WORDS)})"
    rf"(?:(?:[\s-]+(?:and|y|et)[\s-]+|[\s-]+)(?:an?(?=[\s-]+(?:hundred|thousand|dozen|million)\b)|{_alternation(_NUMBER_WORDS)}))*\b"
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
                if word == "cents":  # "99 cents" is not a number word run
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


def _scaled(match: re.Match[str]) -> str:
    word = match.group(2)
    factor = 100 if word in ("hundred", "hundert") else 1_000_000 if word == "million" else 1000
    return f" {_fmt(float(match.group(1)) * factor)} "


# (needle, pattern, replacement): a step runs only when its needle is in the text (None: "a digit is").
_NUMBER_STEPS: list[tuple[str | None, re.Pattern[str], str | Sub]] = [
    # 1,000 and 1,500.50 (English), 1.000 and 1.500,50 (European), then 1,5 (a decimal comma)
    (None, re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)"), lambda m: m.group(0).replace(",", "")),
    (None, re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?(?![\d.]|,\d)"),
     lambda m: m.group(0).replace(".", "").replace(",", ".")),
    (None, re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])"), r"\1.\2"),
    (None, re.compile(r"(\d+(?:\.\d+)?)\s*(k|grand|thousand|tausend|mille|mil|million|hundred|hundert)\b"), _scaled),
    ("half", re.compile(r"\bhalf\s+an?\s+dozen\b"), " 6 "),
    ("half", re.compile(r"\ban?\s+(year|month|week)s?\s+and\s+a\s+half\b"), r" 1.5 \1s "),
    ("half", re.compile(r"\bhalf\s+an?\s+(year|month)\b"), r" 0.5 \1 "),
    ("a", re.compile(r"\ban?\s+(?=(?:year|month|week|yr)s?\b)"), " 1 "),
    ("n", re.compile(r"\b(?:un|une|una|uno|ein|eine|einem|einen)\s+(?=(?:an|ano|jahr|mes|mois|monat|semana|semaine|woche)\b)"), " 1 "),
    ("a", re.compile(r"\ba\s+(?:couple|pair)(?:\s+of)?\b"), " 2 "),
    ("", _NUMBER_RUN, _spell_numbers),
    ("half", re.compile(r"\b(\d+)\s+and\s+a\s+half\b"), r"\1.5"),
]
_DIGIT = re.compile(r"\d")

# (needles, pattern, replacement): a rule runs only when one of its space-separated needles is in the text,
# which keeps the rewrite of an ordinary English sentence to a handful of regex scans.
_PHRASES: list[tuple[str, str, str | Sub]] = [
    ("how", r"\bhow (?:old|much)\b", " "),
    # French
    ("cher", r"\b(?:les?|la|l') ?moins chere?s?\b", " the cheapest "),
    ("cher", r"\bmoins chere?s? (?:que|qu')", " cheaper than "),
    ("cher", r"\bmoins chere?s?\b", " cheaper "),
    ("cher", r"\b(?:pas|peu) (?:tres |trop |si )?chere?s?\b", " cheap "),
    ("marche", r"\bbon marche\b", " cheap "),
    ("cher", r"\b(?:les?|la) plus chere?s?\b", " the priciest "),
    ("cher", r"\bplus chere?s? (?:que|qu')", " pricier than "),
    ("cher", r"\bplus chere?s?\b", " pricier "),
    ("jeune", r"\b(?:les?|la) plus jeunes?\b", " the youngest "),
    ("jeune", r"\bplus jeunes? (?:que|qu')", " younger than "),
    ("plus", r"\b(?:les?|la) plus (?:vieux|vieilles?|old)\b", " the oldest "),
    ("plus", r"\bplus (?:vieux|vieilles?|old) (?:que|qu')", " older than "),
    ("moins dessous inferieur", r"\b(?:moins d[e']|en[ -]dessous d[e']|au[ -]dessous d[e']|inferieur a)", " under "),
    ("plus dessus superieur", r"\b(?:plus d[e']|au[ -]dessus d[e']|superieur a)", " over "),
    ("jusqu", r"\bjusqu ?'? ?(?:a|au)\b", " up to "),
    ("au ", r"\bau moins\b", " at least "),
    ("au ", r"\bau (?:plus|maximum)\b", " at most "),
    ("par selon", r"\b(?:trie|classe|range|ordonne)e?s? (?:par|selon)\b", " sorted by "),
    ("par", r"\bpar (?P<fr_field>prix|age)\b", lambda m: f" by {m['fr_field']} "),
    # Spanish
    ("mas", r"\b(?:el|la|los|las) mas barat[oa]s?\b", " the cheapest "),
    ("mas", r"\bmas barat[oa]s? (?:que|de)\b", " cheaper than "),
    ("mas", r"\bmas barat[oa]s?\b", " cheapest "),
    ("mas", r"\b(?:el|la|los|las) mas car[oa]s?\b", " the priciest "),
    ("mas", r"\bmas car[oa]s? (?:que|de)\b", " pricier than "),
    ("mas", r"\bmas car[oa]s?\b", " priciest "),
    ("mas", r"\b(?:el|la|los|las) mas jovene?s?\b", " the youngest "),
    ("mas", r"\bmas jovene?s? (?:que|de)\b", " younger than "),
    ("mas", r"\bmas jovene?s?\b", " youngest "),
    ("mas", r"\b(?:el|la|los|las) mas viej[oa]s?\b", " the oldest "),
    ("mas", r"\bmas viej[oa]s? (?:que|de)\b", " older than "),
    ("mas", r"\bmas viej[oa]s?\b", " oldest "),
    ("menos debajo inferior", r"\b(?:menos de|por debajo de|inferior a)\b", " under "),
    ("mas encima superior", r"\b(?:mas de|por encima de|superior a)\b", " over "),
    # "menores de 2 años" is an age, "menores de 300" a price: "under" already tells the two apart.
    ("menor", r"\bmenor(?:es)? (?:de|que)\b", " under "),
    ("mayor", r"\bmayor(?:es)? (?:de|que)\b", " over "),
    ("hasta", r"\bhasta\b", " up to "),
    ("menos minimo", r"\b(?:al menos|como minimo|minimo)\b", " at least "),
    ("maximo", r"\b(?:como maximo|maximo)\b", " at most "),
    ("desde", r"\bdesde\b", " from "),
    ("orden clasific", r"\b(?:ordenad[oa]s?|ordenar|clasificad[oa]s?) (?:por|segun)\b", " sorted by "),
    ("por", r"\bpor (?P<es_field>precio|edad)\b", lambda m: f" by {m['es_field']} "),
    # German
    ("alter", r"\bim alter von\b", " aged "),
    ("als", r"\bweniger als\b", " less than "),
    ("als", r"\bmehr als\b", " more than "),
    ("als", r"\bbilliger als\b", " cheaper than "),
    ("als", r"\bteurer als\b", " pricier than "),
    ("als", r"\bjunger als\b", " younger than "),
    ("als", r"\balter als\b", " older than "),
    ("unter", r"\bunter\b", " under "),
    ("uber", r"\buber\b", " over "),
    ("bis", r"\bbis(?: zu)?\b", " up to "),
    ("von", r"\bvon\b", " from "),
    ("hochstens maximal", r"\b(?:hochstens|maximal)\b", " at most "),
    ("mindestens ab", r"\b(?:mindestens|ab)\b", " at least "),
    ("billigste gunstigste", r"\b(?:billigste|gunstigste)[nrs]?\b", " cheapest "),
    ("teuerste", r"\bteuerste[nrs]?\b", " priciest "),
    ("jungste", r"\bjungste[nrs]?\b", " youngest "),
    ("alteste", r"\balteste[nrs]?\b", " oldest "),
    ("nach", r"\b(?:sortiert |geordnet )?nach (?:dem )?alter\b", " sorted by age "),
    ("nach", r"\b(?:sortiert |geordnet )?nach (?:dem )?preis\b", " sorted by price "),
    ("sortiert", r"\bsortiert\b", " sorted "),
    # shared
    ("entre zwischen", r"\b(?:entre|zwischen)\b", " between "),
    (" a ", r"\b(?:de|from) (?P<from_n>\d+(?:\.\d+)?) a (?=\d)", lambda m: f" from {m['from_n']} to "),
    # English canonical forms
    ("least most lowest cheapest best",
     r"\b(?:least (?:expensive|pricey|pricy|costly)|most (?:affordable|inexpensive|economical)"
     r"|lowest[ -]?(?:price[ds]?|cost)|cheapest[ -]priced|best[ -]priced)\b", " cheapest "),
    ("most highest dearest costliest",
     r"\b(?:most (?:expensive|pricey|pricy|costly|premium|luxurious|valuable)|highest[ -]?(?:price[ds]?|cost)"
     r"|dearest|costliest)\b", " priciest "),
    ("less more lower", r"\b(?:less (?:expensive|pricey|pricy|costly)|more (?:affordable|economical)|lower[ -]priced)\b",
     " cheaper "),
    ("more pricier costlier dearer higher",
     r"\b(?:more (?:expensive|pricey|pricy|costly)|pricier|costlier|dearer|higher[ -]priced)\b", " pricier "),
    ("most eldest", r"\b(?:most senior|eldest)\b", " oldest "),
    ("most", r"\bmost junior\b", " youngest "),
    ("not nothing nicht no pas",
     r"\b(?:not|nothing|nicht|no|pas) (?:too |very |that |so |overly |super |zu |sehr |muy |tan |trop )?"
     r"(?:expensive|pricey|pricy|costly|teuer|car[oa]s?)\b", " cheap "),
    ("not nicht", r"\b(?:not|nicht) (?:too |very |that |so |zu )?old\b", " young "),
]
_PHRASE_RULES = [
    (frozenset([needles] if needles.endswith(" ") else needles.split()), re.compile(pattern), replacement)
    for needles, pattern, replacement in _PHRASES
]
_NEEDLES = frozenset().union(*(needles for needles, _, _ in _PHRASE_RULES))
# After the rewrites, so "der billigste" (now "der cheapest") reads "the cheapest".
_ARTICLE_RE = re.compile(r"\b(?:el|la|los|las|le|les|l'|der|die|das|den|dem)\s*(?=(?:cheapest|priciest|youngest|oldest)\b)")

_WORD_REWRITES = {
    **dict.fromkeys(["barato", "baratos", "barata", "baratas", "economico", "economicos", "economica", "economicas",
                     "billig", "billige", "billigen", "billiges", "gunstig", "gunstige", "gunstigen", "gunstiges",
                     "preiswert", "preiswerte", "preiswerten"], "cheap"),
    **dict.fromkeys(["billiger", "gunstiger"], "cheaper"),
    **dict.fromkeys(["caro", "caros", "cara", "caras", "cher", "chere", "chers", "cheres",
                     "teuer", "teure", "teuren", "teures"], "expensive"),
    "teurer": "pricier",
    **dict.fromkeys(["joven", "jovenes", "jeune", "jeunes", "jung", "junge", "jungen", "junges"], "young"),
    "junger": "younger",
    **dict.fromkeys(["viejo", "viejos", "vieja", "viejas", "mayores", "vieux", "vieille", "vieilles",
                     "alt", "alte", "alten", "altes", "alter"], "old"),
    **dict.fromkeys(["dolares", "dolar", "dollar"], "dollars"),
    **dict.fromkeys(["euro"], "euros"),
    **dict.fromkeys(["precio", "precios", "prix", "preis", "preise"], "price"),
    **dict.fromkeys(["edad"], "age"),
    **dict.fromkeys(["ascendente", "croissant", "aufsteigend"], "ascending"),
    **dict.fromkeys(["descendente", "decroissant", "absteigend"], "descending"),
    **dict.fromkeys(["sans", "ohne", "ausser", "sauf", "excepto", "salvo"], "except"),
    **dict.fromkeys(["disponible", "disponibles", "verfugbar", "verfugbare", "verfugbaren"], "available"),
    **dict.fromkeys(["reservado", "reservados", "reservada", "reservadas", "reserviert", "reservierte",
                     "reservierten", "pendiente", "pendientes"], "reserved"),
    **dict.fromkeys(["adoptado", "adoptados", "adoptada", "adoptadas", "adopte", "adoptes", "adoptee", "adoptees",
                     "adoptiert", "adoptierte", "adoptierten", "vendido", "vendidos", "vendida", "vendidas",
                     "vendu", "vendus", "vendue", "vendues", "verkauft", "verkaufte", "verkauften"], "adopted"),
}
_WORD_REWRITE_RE = re.compile(rf"\b(?:{_alternation(_WORD_REWRITES)})\b")


def _fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        text = text.replace("=<", " <= ").replace("=>", " >= ")
    else:
        for pattern, replacement in _BEFORE_FOLD:
            text = pattern.sub(replacement, text)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _squash(text)


def _normalise(text: str) -> str:
    text = _fold(text)
    has_digit = bool(_DIGIT.search(text))
    for needle, pattern, replacement in _NUMBER_STEPS:
        if (needle is None and has_digit) or (needle is not None and needle in text):
            text = pattern.sub(replacement, text)
    present = {needle for needle in _NEEDLES if needle in text}
    for needles, pattern, replacement in _PHRASE_RULES:
        if not needles.isdisjoint(present):
            text = pattern.sub(replacement, text)
    text = _ARTICLE_RE.sub(" the ", text)
    text = _WORD_REWRITE_RE.sub(lambda m: _WORD_REWRITES[m.group(0)], text)
    return " " + _squash(text) + " "


# ---------------------------------------------------------------------------------------------------
# 2. Nouns: pet types and breeds
# ---------------------------------------------------------------------------------------------------

SINGULAR, PLURAL, EITHER = "S", "P", "B"

# canonical type -> {surface word: grammatical number}
_TYPE_WORDS: dict[str, dict[str, str]] = {
    "dog": {
        **dict.fromkeys(["dog", "puppy", "pup", "pupper", "doggo", "doggy", "doggie", "hound", "canine", "perro",
                         "perra", "perrito", "cachorro", "chien", "chienne", "chiot", "hund", "hundin", "welpe"],
                        SINGULAR),
        **dict.fromkeys(["dogs", "puppies", "pups", "puppers", "doggos", "doggies", "hounds", "canines", "perros",
                         "perras", "perritos", "cachorros", "chiens", "chiennes", "chiots", "hunde", "hunden",
                         "hundinnen", "welpen"], PLURAL),
    },
    "cat": {
        **dict.fromkeys(["cat", "kitten", "kitty", "feline", "gato", "gata", "gatito", "gatita", "chat", "chatte",
                         "chaton", "katze"], SINGULAR),
        **dict.fromkeys(["cats", "kittens", "kitties", "felines", "gatos", "gatas", "gatitos", "gatitas", "chats",
                         "chattes", "chatons", "katzen"], PLURAL),
        **dict.fromkeys(["katzchen", "kater"], EITHER),
    },
    "bird": {
        **dict.fromkeys(["bird", "birdie", "parrot", "budgie", "parakeet", "canary", "cockatiel", "cockatoo", "macaw",
                         "finch", "lovebird", "pajaro", "ave", "oiseau", "perruche", "perroquet", "loro",
                         "papagei", "wellensittich"], SINGULAR),
        **dict.fromkeys(["birds", "birdies", "parrots", "budgies", "parakeets", "canaries", "cockatiels", "cockatoos",
                         "macaws", "finches", "lovebirds", "pajaros", "aves", "oiseaux", "vogeln", "perruches",
                         "perroquets", "loros", "papageien", "wellensittiche"], PLURAL),
        "vogel": EITHER,
    },
    "rabbit": {
        **dict.fromkeys(["rabbit", "bunny", "conejo", "lapin", "hase"], SINGULAR),
        **dict.fromkeys(["rabbits", "bunnies", "conejos", "lapins", "hasen"], PLURAL),
        "kaninchen": EITHER,
    },
    "fish": {
        **dict.fromkeys(["fish", "goldfish", "koi"], EITHER),
        **dict.fromkeys(["guppy", "betta"], SINGULAR),
        **dict.fromkeys(["guppies", "bettas", "fishies"], PLURAL),
        **dict.fromkeys(["pez", "poisson", "fisch"], SINGULAR),
        **dict.fromkeys(["fishes", "goldfishes", "peces", "poissons", "fische", "fischen"], PLURAL),
    },
    "hamster": {"hamster": SINGULAR, "hamsters": PLURAL, "hamsteres": PLURAL},
    "reptile": {
        **dict.fromkeys(["reptile", "snake", "lizard", "gecko", "turtle", "tortoise", "iguana", "chameleon",
                         "bearded dragon", "reptil", "serpiente", "serpent", "schlange", "tortuga", "tortue",
                         "schildkrote"], SINGULAR),
        **dict.fromkeys(["reptiles", "snakes", "lizards", "geckos", "geckoes", "turtles", "tortoises", "iguanas",
                         "chameleons", "bearded dragons", "reptilien", "serpientes", "serpents", "schlangen",
                         "tortugas", "tortues", "schildkroten"], PLURAL),
    },
}
# Other animals a shopper may ask for: they name their own type, so a store without them answers "none".
_OTHER_ANIMALS = [
    "gerbil", "guinea pig", "mouse", "rat", "chinchilla", "ferret", "hedgehog", "horse", "pony", "donkey", "pig",
    "goat", "sheep", "cow", "chicken", "duck", "goose", "frog", "toad", "spider", "tarantula", "scorpion",
    "axolotl", "hermit crab", "crab", "shrimp", "snail", "insect", "newt", "salamander", "degu", "sugar glider",
    "alpaca", "llama",
]
# Nouns that name no type but still tell singular from plural ("the cheapest one", "cheapest pets").
_GENERIC_NOUNS = {
    **dict.fromkeys(["pet", "animal", "option", "result", "companion", "mascota", "tier", "haustier", "friend",
                     "critter", "creature"], SINGULAR),
    **dict.fromkeys(["pets", "animals", "ones", "options", "results", "companions", "mascotas", "animales",
                     "animaux", "tiere", "haustiere", "friends", "critters", "creatures", "matches"], PLURAL),
}
_IRREGULAR_PLURALS = {"mouse": "mice", "goose": "geese", "sheep": "sheep", "deer": "deer", "fish": "fish",
                      "wolf": "wolves", "calf": "calves", "ox": "oxen", "octopus": "octopuses", "axolotl": "axolotls"}
# Words too common to name a breed on their own ("labradors" names Labrador Retriever; "golden" does not).
_NOT_DISTINCTIVE = {
    "golden", "black", "white", "red", "blue", "brown", "grey", "gray", "silver", "cream", "yellow", "tan",
    "orange", "chocolate", "big", "small", "little", "great", "giant", "toy", "mini", "miniature", "standard",
    "long", "short", "wire", "smooth", "rough", "curly", "hairless", "domestic", "common", "mixed", "old",
    "new", "young", "english", "american", "french", "german", "british", "spanish", "irish", "scottish",
    "welsh", "japanese", "chinese", "russian", "australian", "dutch", "italian", "swiss", "siberian",
    "norwegian", "african", "asian", "european", "mountain", "royal", "king", "queen", "fancy", "dwarf",
    "pet", "show", "cheap", "house", "lion", "bull", "fox", "water", "field", "border", "flat", "west",
    "east", "north", "south", "holland",
}
_BREED_STOPWORDS = {"other", "unknown", "none", "na", "n a", "any", "all", "various", "misc", "mix", "n"}
_NICKNAMES = {
    "lab": ("labrador retriever", "labrador"),
    "yorkie": ("yorkshire terrier",),
    "frenchie": ("french bulldog",),
    "aussie": ("australian shepherd",),
    "gsd": ("german shepherd", "german shepherd dog"),
    "alsatian": ("german shepherd", "german shepherd dog"),
    "westie": ("west highland white terrier",),
    "sheltie": ("shetland sheepdog",),
    "staffie": ("staffordshire bull terrier",),
    "staffy": ("staffordshire bull terrier",),
    "doxie": ("dachshund",),
    "wiener dog": ("dachshund",),
    "sausage dog": ("dachshund",),
    "pitbull": ("american pit bull terrier", "pit bull", "pit bull terrier"),
    "pittie": ("american pit bull terrier", "pit bull", "pit bull terrier"),
    "husky": ("siberian husky",),
    "cavalier": ("cavalier king charles spaniel",),
    "berner": ("bernese mountain dog",),
    "goldie": ("golden retriever",),
}


def _plural(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _forms(name: str) -> dict[str, str]:
    """Surface forms of a (possibly multi-word) noun -> grammatical number. Keys are lowercase, space-separated."""
    words = name.split()
    last = words[-1]
    plural = _plural(last)
    if plural == last or re.search(r"(?:s|x|z|ese)$", last):
        forms = {name: EITHER}
    else:
        forms = {name: SINGULAR}
    forms.setdefault(" ".join([*words[:-1], plural]), PLURAL)
    return forms


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass(frozen=True)
class _Noun:
    types: frozenset[str]
    breed: str | None
    number: str


_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Nouns:
    lookup: dict[str, _Noun]  # surface with everything but letters and digits removed -> noun
    starts: frozenset[str]  # tokens that can begin a noun
    longest: int  # most words in any surface

    def mark(self, text: str, found: list[_Noun]) -> str:
        """Replace each noun (longest match first) by a marker N<index><number>; append the nouns to `found`."""
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        out: list[str] = []
        at = i = 0
        while i < len(tokens):
            if tokens[i][2] not in self.starts:
                i += 1
                continue
            for width in range(min(self.longest, len(tokens) - i), 0, -1):
                window = tokens[i : i + width]
                # words of one noun are separated by spaces, hyphens or apostrophes only ("shih-tzu")
                if any(text[a[1] : b[0]].strip(" '-") for a, b in zip(window, window[1:])):
                    continue
                noun = self.lookup.get("".join(t[2] for t in window))
                if noun is not None:
                    out.append(text[at : window[0][0]])
                    out.append(f" N{len(found)}{noun.number} ")
                    found.append(noun)
                    at = window[-1][1]
                    i += width
                    break
            else:
                i += 1
        out.append(text[at:])
        return "".join(out)


@functools.lru_cache(maxsize=64)
def _nouns_for(vocabulary: Vocabulary) -> _Nouns:
    lookup: dict[str, _Noun] = {}
    starts: set[str] = set()
    longest = 1

    def add(surface: str, noun: _Noun) -> None:
        nonlocal longest
        words = surface.split()
        lookup.setdefault(_key(surface), noun)
        starts.update((words[0], _key(surface)))  # "shih tzu" may be typed "shihtzu"
        longest = max(longest, len(words))

    # Breeds first: they are longer and more specific than type words ("Basset Hound" is not just a hound).
    normalised_breeds: dict[str, str] = {}
    for breed in vocabulary.breeds:
        name = _squash(re.sub(r"[^a-z0-9]+", " ", _fold(breed)))
        if name and name not in _BREED_STOPWORDS and len(name) > 1:
            normalised_breeds[name] = breed

    def breed_noun(breed: str, number: str) -> _Noun:
        implied = frozenset() if breed in vocabulary.shared_breeds else frozenset({vocabulary.breeds[breed]})
        return _Noun(implied, breed, number)

    for name, breed in normalised_breeds.items():
        for surface, number in _forms(name).items():
            add(surface, breed_noun(breed, number))
    first_words: dict[str, list[str]] = {}
    all_words: dict[str, int] = {}
    for name in normalised_breeds:
        words = name.split()
        first_words.setdefault(words[0], []).append(name)
        for word in set(words):
            all_words[word] = all_words.get(word, 0) + 1
    builtin_words = {w for forms in _TYPE_WORDS.values() for w in forms} | set(_GENERIC_NOUNS)
    for word, names in first_words.items():
        name = names[0]
        if (len(names) == 1 and len(name.split()) > 1 and len(word) >= 4 and all_words[word] == 1
                and word not in _NOT_DISTINCTIVE and word not in builtin_words and word not in normalised_breeds
                and word not in _NUMBER_WORDS and word not in vocabulary.types and word not in _OTHER_ANIMALS):
            for surface, number in _forms(word).items():
                add(surface, breed_noun(normalised_breeds[name], number))
    for nickname, targets in _NICKNAMES.items():
        target = next((t for t in targets if t in normalised_breeds), None)
        if target is not None and nickname not in normalised_breeds:
            for surface, number in _forms(nickname).items():
                add(surface, breed_noun(normalised_breeds[target], number))

    # Types present in the store win over the built-in synonyms ("snake" stays "snake" if the store has snakes).
    for pet_type in sorted(vocabulary.types):
        name = _squash(re.sub(r"[^a-z0-9]+", " ", _fold(pet_type)))
        if name:
            for surface, number in {**_TYPE_WORDS.get(pet_type, {}), **_forms(name)}.items():
                add(surface, _Noun(frozenset({pet_type}), None, number))
    for pet_type, words in _TYPE_WORDS.items():
        for surface, number in words.items():
            add(surface, _Noun(frozenset({pet_type}), None, number))
    for animal in _OTHER_ANIMALS:
        for surface, number in _forms(animal).items():
            add(surface, _Noun(frozenset({animal}), None, number))
    for surface, number in _GENERIC_NOUNS.items():
        add(surface, _Noun(frozenset(), None, number))

    return _Nouns(lookup, frozenset(starts), longest)


# ---------------------------------------------------------------------------------------------------
# 3. Bounds: ages and prices
# ---------------------------------------------------------------------------------------------------

_NOUN = r"N\d+[SPB]"
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
_COMPARATOR_INFO = {_squash(p): (bound, strict, domain) for p, bound, strict, domain in _COMPARATORS}
_COMPARATOR = rf"(?<![\w<>=])(?P<cmp>{_alternation(p for p, *_ in _COMPARATORS)})(?:(?<=[<>=.])|(?![\w]))"
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


_NOUN_NEXT = re.compile(r"\s*(?:[a-z][\w'-]*\s+)?N\d+[SPB]")


def _counts_nouns(m: re.Match[str], n: int) -> bool:
    """A small whole number without currency right before a noun is a count, not a price."""
    value = float(m.group(f"n{n}"))
    return (not _currency(m, n) and value.is_integer() and 1 <= value <= MAX_PAGE_SIZE
            and bool(_NOUN_NEXT.match(m.string, m.end())))


# ---------------------------------------------------------------------------------------------------
# 4. Order, count, status
# ---------------------------------------------------------------------------------------------------

_SUPERLATIVES = {
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


_EXPLICIT_SORTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], SortOrder]]] = [
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


_ORDER_WORDS: dict[str, SortOrder] = {
    **dict.fromkeys(["cheap", "cheaper", "cheapo", "affordable", "budget", "inexpensive", "bargain", "bargains",
                     "low cost", "low-cost", "low priced", "low-priced", "low price", "economical", "budget friendly",
                     "budget-friendly", "reasonably priced", "good value", "best value", "good deal", "cheaply",
                     "thrifty", "frugal"], SortOrder.price_asc),
    **dict.fromkeys(["expensive", "pricey", "pricy", "premium", "luxury", "luxurious", "fancy", "pricier",
                     "high end", "high-end", "top end", "top-end", "costly", "posh", "upscale", "exclusive",
                     "top dollar"], SortOrder.price_desc),
    **dict.fromkeys(["young", "younger", "baby", "babies", "newborn", "newborns", "juvenile", "juveniles"],
                    SortOrder.age_asc),
    **dict.fromkeys(["old", "older", "senior", "seniors", "elderly", "aged", "mature", "geriatric", "ancient"],
                    SortOrder.age_desc),
}
_ORDER_WORD_RE = re.compile(rf"(?<![\w-])(?:{_alternation(_ORDER_WORDS)})(?![\w-])")

_COUNT_PATTERNS = [
    re.compile(r"\b(?:top|first|best|limit(?:ed)?(?:\s+to)?|only|just|show(?:\s+me)?|give\s+me|list|find(?:\s+me)?|"
               r"get(?:\s+me)?|want|need|pick|suggest|recommend)\s+(?:the\s+)?(?P<n>\d+)(?![\d.])"),
    re.compile(rf"(?<![\w.])(?P<n>\d+)\s+{_SUP}"),
    re.compile(rf"{_SUP}\s+(?P<n>\d+)(?![\d.])"),
    re.compile(rf"(?<![\w.])(?P<n>\d+)(?:\s+[a-z][\w'-]*){{0,2}}?\s+(?P<noun>{_NOUN})"),
]
_SUP_NOUN_AFTER = re.compile(rf"{_SUP}(?P<of>\s+(?:1\s+|ones?\s+)?of\b)?(?:\s+[a-z][\w'-]*){{0,2}}?\s+(?P<noun>{_NOUN})")
_SUP_NOUN_BEFORE = re.compile(rf"(?P<noun>{_NOUN})(?:\s+[a-z][\w'-]*){{0,3}}\s+{_SUP}\Z")
_SUP_ALONE = re.compile(rf"(?P<the>\bthe\s+)?{_SUP}(?P<of>\s+(?:1\s+)?of\b)?")

_STATUS_RE = re.compile(
    r"\b(?:(?P<unknown>(?:not|no\s+longer|isn't|aren't)\s+(?:yet\s+)?available)|"
    r"(?P<available>not\s+(?:yet\s+|been\s+)?(?:adopted|sold|reserved)|unsold|unadopted|still\s+available|"
    r"available|for\s+sale|adoptable|up\s+for\s+adoption|for\s+adoption|ready\s+(?:for|to\s+be)\s+adopt(?:ion|ed)|"
    r"can\s+be\s+adopted|in\s+stock|a\s+la\s+venta|en\s+venta|a\s+vendre|zu\s+verkaufen|en\s+adopcion|a\s+adopter)|"
    r"(?P<pending>pending|reserved|on\s+hold|en\s+attente|en\s+espera)|"
    r"(?P<adopted>(?:already\s+|been\s+)?(?:adopted|sold)(?!\s+(?:here|in|at|by|online|as|for))|sold\s+out))\b"
)
_NEGATION = re.compile(
    rf"\b(?:not|no|except|excluding|exclude|but\s+not|other\s+than|anything\s+but|besides|apart\s+from|without|"
    rf"aside\s+from|instead\s+of)\s+(?:any\s+|the\s+|a\s+|an\s+)?(?P<nouns>{_NOUN}(?:\s*(?:,|or|and|nor)?\s*{_NOUN})*)"
)
_MARKER = re.compile(r"N(\d+)([SPB])")
_WORD = re.compile(r"[a-z]+")
_NEGATION_WORDS = {"not", "no", "except", "excluding", "exclude", "but", "other", "anything", "besides", "apart",
                   "without", "aside", "instead"}
_SORT_WORDS = {"first", "to", "high", "highest", "low", "lowest", "by", "sort", "sorted", "order", "ordered", "rank", "ranked", "arrange", "arranged",
               "organised", "organized", "organise", "organize", "list", "listed", "in", "according", "on", "per",
               "price", "prices", "pricing", "cost", "costs", "age", "ages", "desc", "descending", "asc",
               "ascending", "decreasing", "increasing", "reverse", "reversed"}
_STATUS_WORDS = {"available", "sale", "adoptable", "adoption", "adopted", "sold", "unsold", "unadopted", "pending",
                 "reserved", "hold", "stock", "venta", "vendre", "verkaufen", "adopcion", "adopter", "attente",
                 "espera"}

_STARTS_OVER = re.compile(
    r"\b(?:start(?:ing)?\s+(?:over|again|afresh|fresh|anew|from\s+scratch)|restart|reset|"
    r"new\s+(?:search|query|conversation|chat|session|request|question)|clear\s+(?:all\s+|the\s+|my\s+)?"
    r"(?:filters?|search|everything|criteria|it\s+all)|clear\s+all|forget\s+(?:that|it|this|everything|all|"
    r"about\s+(?:it|that)|(?:the\s+|my\s+)?(?:previous|last|earlier|old)\b)|never\s*mind|from\s+scratch|begin\s+again|"
    r"fresh\s+start|scratch\s+that|ignore\s+(?:that|this|everything|all|(?:the\s+|my\s+)?previous)|"
    r"remove\s+(?:all\s+)?(?:the\s+)?filters|drop\s+(?:all\s+)?(?:the\s+)?filters|different\s+search|"
    r"empezar\s+de\s+nuevo|empecemos\s+de\s+nuevo|de\s+nuevo|nueva\s+busqueda|borrar\s+filtros|olvidalo|"
    r"recommencer|recommencons|nouvelle\s+recherche|on\s+recommence|oublie|neue\s+suche|neu\s+anfangen|"
    r"von\s+vorne|vergiss\s+es|zurucksetzen)\b"
)


# ---------------------------------------------------------------------------------------------------
# The parse
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Bounds:
    mins: list[tuple[float, bool]] = field(default_factory=list)
    maxes: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, bound: str, value: float, strict: bool, ceiling: float) -> None:
        if 0 <= value <= ceiling:
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
class _Parse:
    nouns: list[_Noun] = field(default_factory=list)
    ages: _Bounds = field(default_factory=_Bounds)
    prices: _Bounds = field(default_factory=_Bounds)

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
        bound, strict, domain = _COMPARATOR_INFO[_squash(m.group("cmp"))]
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
        bound, strict, domain = _COMPARATOR_INFO[_squash(m.group("cmp"))]
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


def _noun_number(marker: str) -> str:
    return marker[-1]


def _limit(text: str) -> int | None:
    for pattern in _COUNT_PATTERNS:
        for m in pattern.finditer(text):
            n = int(float(m.group("n"))) if float(m.group("n")).is_integer() else 0
            if not 1 <= n <= MAX_PAGE_SIZE:
                continue
            noun = m.groupdict().get("noun")
            if noun and _noun_number(noun) != EITHER and (_noun_number(noun) == PLURAL) != (n > 1):
                continue
            return n
    return None


def _superlative(text: str) -> tuple[SortOrder | None, bool]:
    """The first superlative's order, and whether it asks for a single pet."""
    found = _SUP_ALONE.search(text)
    if not found:
        return None, False
    order = _SUPERLATIVES[found.group("sup")]
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


def _sort(text: str) -> tuple[SortOrder | None, str]:
    """An explicit order ("sorted by price", "youngest first"), and the text without it."""
    for pattern, order in _EXPLICIT_SORTS:
        for m in pattern.finditer(text):
            if "field" in pattern.groupindex and not (m.group("verb") or m.group("by") or m.group("dir")):
                continue
            return order(m), text[: m.start()] + " " + text[m.end():]
    return None, text


def parse_query(text: str, vocabulary: Vocabulary) -> PetFilter:
    """The filter that `text` names, and nothing else: unnamed fields stay unset (see `model_fields_set`)."""
    nouns = _nouns_for(vocabulary)
    state = _Parse()
    s = _normalise(text)
    s = nouns.mark(s, state.nouns)

    has_digit = bool(_DIGIT.search(s))
    if has_digit:  # every bound and count has a number
        for pattern, handler in [
            (_AGE_RANGE, state.age_range), (_AGE_BOUND, state.age_bound), (_AGE_POSTFIX, state.age_postfix),
            (_AGE_POSTFIX_BARE, state.age_postfix_bare),
            (_AGE_WORD_ONLY, state.age_word_only), (_PRICE_RANGE, state.price_range),
            (_PRICE_BOUND, state.price_bound), (_PRICE_POSTFIX, state.price_postfix),
            (_PRICE_AROUND, state.price_around), (_PRICE_BARE, state.price_bare),
        ]:
            s = pattern.sub(handler, s)
    words = set(_WORD.findall(s))  # cheap guards: skip the patterns that cannot match

    named: dict[str, object] = {}

    excluded = (
        {int(i) for m in _NEGATION.finditer(s) for i, _ in _MARKER.findall(m.group("nouns"))}
        if state.nouns and words & _NEGATION_WORDS else set()
    )
    wanted = [noun for i, noun in enumerate(state.nouns) if i not in excluded]
    types = set().union(*(noun.types for noun in wanted))
    breed = next((noun.breed for noun in wanted if noun.breed), None)
    if not types and excluded and vocabulary.types:
        types = set(vocabulary.types) - set().union(*(state.nouns[i].types for i in excluded))
    if types:
        named["type"] = sorted(types)
    if breed:
        named["breed"] = breed

    named.update(state.prices.fields("price"))
    named.update(state.ages.fields("age"))

    explicit, s = _sort(s) if words & _SORT_WORDS else (None, s)
    superlative, single = _superlative(s) if words & _SUPERLATIVES.keys() else (None, False)
    adjective = _ORDER_WORD_RE.search(s)
    order = explicit or superlative or (_ORDER_WORDS[_squash(adjective.group(0))] if adjective else None)
    if order:
        named["sort"] = order
    limit = (_limit(s) if has_digit else None) or (1 if single else None)
    if limit:
        named["limit"] = limit

    status = _STATUS_RE.search(s) if words & _STATUS_WORDS else None
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


def starts_over(text: str) -> bool:
    """True when the text asks to drop the conversation's earlier filter ("start over", "new search", ...)."""
    return bool(_STARTS_OVER.search(_fold(text)))
