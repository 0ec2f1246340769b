"""Spanish, French and German phrasings rewritten into the English the grammar reads ("moins de" -> "under")."""

from __future__ import annotations

import re
from collections.abc import Callable

from .text import alternation, words_of

Sub = Callable[[re.Match[str]], str]

# Stems of the plural superlatives ("les moins chers", "los más baratos", "die billigsten"): they order the pets
# without picking one, so they become the bare English word, without "the".
_PLURAL_SUPERLATIVES = {
    **dict.fromkeys(["moins cher", "barat", "billig", "gunstig"], "cheapest"),
    **dict.fromkeys(["plus cher", "car", "teuer"], "priciest"),
    **dict.fromkeys(["plus jeune", "joven", "jung"], "youngest"),
    **dict.fromkeys(["plus vie", "viej", "alt", "alte"], "oldest"),
}


def _plural_superlative(m: re.Match[str]) -> str:
    return f" {_PLURAL_SUPERLATIVES[m['sup']]} "


# (needles, pattern, replacement): a rule runs only when one of its space-separated needles is in the text,
# which keeps the rewrite of an ordinary English sentence to a handful of regex scans.
_PHRASES: list[tuple[str, str, str | Sub]] = [
    ("how", r"\bhow (?:old|much)\b", " "),
    # French
    # "les moins chers" (plural) orders; "le moins cher" picks one: only the singular gets "the"
    ("les", r"\bles (?P<sup>moins cher|plus cher|plus jeune|plus vie)(?:e?s|ux|illes)\b", _plural_superlative),
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
    ("sous", r"\bsous\b(?=\s*\d)", " under "),
    ("plus dessus superieur", r"\b(?:plus d[e']|au[ -]dessus d[e']|superieur a)", " over "),
    ("jusqu", r"\bjusqu ?'? ?(?:a|au)\b", " up to "),
    ("au ", r"\bau moins\b", " at least "),
    ("au ", r"\bau (?:plus|maximum)\b", " at most "),
    ("par selon", r"\b(?:trie|classe|range|ordonne)e?s? (?:par|selon)\b", " sorted by "),
    ("par", r"\bpar (?P<fr_field>prix|age)\b", lambda m: f" by {m['fr_field']} "),
    # Spanish
    ("los las", r"\b(?:los|las) mas (?P<sup>barat|car|joven|viej)[oa]?e?s\b", _plural_superlative),
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
    # "die billigsten" (plural) orders; "der/die billigste" picks one (the article rule below adds "the")
    ("sten", r"\b(?:die|den)\s+(?P<sup>billig|gunstig|teuer|jung|alte?)sten\b", _plural_superlative),
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
    **dict.fromkeys(["junger", "jungere", "jungeren"], "younger"),
    **dict.fromkeys(["alter", "altere", "alteren"], "older"),
    **dict.fromkeys(["viejo", "viejos", "vieja", "viejas", "mayores", "vieux", "vieille", "vieilles",
                     "alt", "alte", "alten", "altes"], "old"),
    **dict.fromkeys(["dolares", "dolar", "dollar"], "dollars"),
    **dict.fromkeys(["euro"], "euros"),
    **dict.fromkeys(["precio", "precios", "prix", "preis", "preise"], "price"),
    **dict.fromkeys(["edad"], "age"),
    **dict.fromkeys(["ascendente", "croissant", "aufsteigend"], "ascending"),
    **dict.fromkeys(["descendente", "decroissant", "absteigend"], "descending"),
    **dict.fromkeys(["sans", "ohne", "ausser", "sauf", "excepto", "salvo"], "except"),
    **dict.fromkeys(["disponible", "disponibles", "verfugbar", "verfugbare", "verfugbaren"], "available"),
    **dict.fromkeys(["reservado", "reservados", "reservada", "reservadas", "reserviert", "reservierte",
                     "reservierten", "pendiente", "pendientes", "reserve", "reserves", "reservee", "reservees"],
                    "reserved"),
    **dict.fromkeys(["adoptado", "adoptados", "adoptada", "adoptadas", "adopte", "adoptes", "adoptee", "adoptees",
                     "adoptiert", "adoptierte", "adoptierten", "vendido", "vendidos", "vendida", "vendidas",
                     "vendu", "vendus", "vendue", "vendues", "verkauft", "verkaufte", "verkauften"], "adopted"),
}
_WORD_REWRITE_RE = re.compile(rf"\b(?:{alternation(_WORD_REWRITES)})\b")


def to_english(text: str) -> str:
    """Rewrite the core es/fr/de phrasings and words of folded text into their English equivalents."""
    present = {needle for needle in _NEEDLES if needle in text}
    for needles, pattern, replacement in _PHRASE_RULES:
        if not needles.isdisjoint(present):
            text = pattern.sub(replacement, text)
    text = _ARTICLE_RE.sub(" the ", text)
    return _WORD_REWRITE_RE.sub(lambda m: _WORD_REWRITES[m.group(0)], text)


WORDS = words_of(*(pattern.pattern for _, pattern, _ in _PHRASE_RULES), *_WORD_REWRITES)
LEXICON = {word: meaning for word, meaning in _WORD_REWRITES.items()}
