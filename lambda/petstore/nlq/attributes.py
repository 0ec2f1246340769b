"""What adoption sites let people filter on: sex, size, and good with children, dogs or cats.

Read on normalised text before the nouns are marked, so that "good with cats" is a wish about the pet, not a
request for cats. Each phrase is consumed once it is understood.
"""

from __future__ import annotations

import re

from .text import alternation, words_of

SEX_WORDS: dict[str, str] = {
    **dict.fromkeys(["female", "females", "girl", "girls", "femelle", "femelles", "hembra", "hembras", "weiblich",
                     "weibliche", "weiblichen", "weiblicher", "weibchen"], "female"),
    **dict.fromkeys(["male", "males", "boy", "boys", "macho", "machos", "mannlich", "mannliche", "mannlichen",
                     "mannlicher", "mannchen"], "male"),
}
# Words for an animal that also say its sex ("perra" is a female dog): read with the noun (see lexicon.py).
NOUN_SEXES: dict[str, str] = {
    **dict.fromkeys(["perra", "perras", "gata", "gatas", "gatita", "gatitas", "chienne", "chiennes", "chatte", "chattes",
                     "hundin", "hundinnen"], "female"),
    "kater": "male",
}
SIZE_WORDS: dict[str, str] = {
    **dict.fromkeys(["small", "smaller", "little", "tiny", "mini", "miniature", "toy-sized", "pocket-sized",
                     "pequeno", "pequenos", "pequena", "pequenas", "petit", "petits", "petite", "petites", "klein",
                     "kleine", "kleinen", "kleiner", "kleines"], "small"),
    **dict.fromkeys(["medium", "medium-sized", "medium sized", "mid-sized", "mid sized", "midsize", "average-sized",
                     "mediano", "medianos", "mediana", "medianas", "moyen", "moyens", "moyenne", "moyennes",
                     "mittelgross", "mittelgrosse", "mittelgrossen", "mittelgrosser"], "medium"),
    **dict.fromkeys(["large", "larger", "big", "bigger", "huge", "giant", "grande", "grandes", "grand", "grands",
                     "gross", "grosse", "grossen", "grosser", "grosses"], "large"),
}
_SEX_RE = re.compile(rf"(?<![\w-])(?:{alternation(SEX_WORDS)})(?![\w-])")
_SIZE_RE = re.compile(rf"(?<![\w-])(?:{alternation(SIZE_WORDS)})(?![\w-])")

# Who a pet should be good with, and the words for them (English after the es/fr/de rewrites, plus the
# originals, which the rewrites leave alone).
_COMPANIONS: dict[str, str] = {
    **dict.fromkeys(["kids", "kid", "children", "child", "babies", "toddlers", "families", "family", "ninos", "nino",
                     "enfants", "enfant", "kindern", "kinder", "kind"], "children"),
    **dict.fromkeys(["dogs", "dog", "other dogs", "perros", "perro", "chiens", "chien", "hunden", "hunde", "hund",
                     "anderen hunden"], "dogs"),
    **dict.fromkeys(["cats", "cat", "other cats", "gatos", "gato", "chats", "chat", "katzen", "katze",
                     "anderen katzen"], "cats"),
}
_WHO = rf"(?P<who>{alternation(_COMPANIONS)})"
_MORE_WHO = rf"(?P<more>(?:\s*(?:,|and|&|or|y|et|und|o|ou|oder)\s*(?:(?:the|other|los|les|den)\s+)?(?:{alternation(_COMPANIONS)}))*)"
_GOOD = (r"(?:good|great|fine|ok|okay|safe|friendly|sociable|gentle|lives?|living|bueno|buena|buenos|buenas|"
         r"bien|amable|amables|carinos[oa]s?|bon|bonne|bons|bonnes|gentil|gentille|gentils|gentilles|sympas?|"
         r"sociables|gut|lieb|liebe|vertraglich|vertragliche|vertraglichen)")
# Getting along with someone, in each language ("se lleva bien con", "s'entend bien avec", "versteht sich gut mit").
_ALONG = (r"(?:gets?|getting)\s+(?:along|on)\s+(?:well\s+)?with|(?:se\s+)?llev(?:a|an|e|en)\s+bien\s+con"
          r"|s'?\s*entend(?:ent)?\s+bien\s+avec|versteh(?:t|en)\s+sich\s+gut\s+mit|vertragt\s+sich\s+(?:gut\s+)?mit"
          r"|komm(?:t|en)\s+gut\s+mit")
_GOOD_WITH = re.compile(
    rf"\b(?P<neg>(?:not|isn'?t|aren'?t|no|nicht|pas|ne|don'?t|doesn'?t|do\s+not|does\s+not|won'?t|can'?t|cannot|"
    rf"never)\s+(?:so\s+|very\s+|too\s+|really\s+)?)?"
    rf"(?:{_GOOD}\s+(?:with|around|con|avec|mit|zu)|{_ALONG}|likes?|loves?|aime(?:nt)?|adore(?:nt)?"
    rf"|(?P<hates>hates?|dislikes?|fears?))"
    rf"\s+(?:(?:the|other|los|las|les|den|anderen)\s+)?{_WHO}{_MORE_WHO}\b"
)
# Who already lives at home must get on with the new pet: "I have a cat", "we have two kids", "tengo un perro",
# "j'ai un chat", "ich habe eine Katze".
_AT_HOME = re.compile(
    rf"\b(?:i|we)\s+(?:already\s+|also\s+)?(?:have|own|got|'ve\s+got|have\s+got)|\b(?:tengo|tenemos)|\bj'?\s*ai|"
    rf"\bnous\s+avons|\b(?:ich|wir)\s+(?:habe|haben)"
)
_AT_HOME_WHO = re.compile(
    rf"(?P<lead>{_AT_HOME.pattern})\s+(?:(?:already|also|bereits|schon|ya|deja)\s+)?"
    rf"(?:(?:a|an|one|two|three|some|\d+|un|una|une|unos|unas|des|deux|dos|tres|trois|ein|eine|einen|zwei|drei)\s+)?"
    rf"(?:(?:other|young|little|small|older|old)\s+)?{_WHO}\b"
)
# German may name whom first: "(die) mit Kindern gut auskommen", "sich gut mit Katzen versteht", "mit Hunden
# nicht gut".
_WITH_FIRST = re.compile(
    rf"\b(?:sich\s+)?(?:(?P<neg2>nicht\s+)?gut\s+)?mit\s+(?:(?:den|anderen)\s+)?{_WHO}{_MORE_WHO}\s+(?P<neg>nicht\s+)?"
    rf"(?:(?:gut|vertraglich\w*)(?:\s+(?:aus|klar)\w*)?|versteh\w*|vertragt|vertragen|auskomm\w*|klarkomm\w*)"
)
_FRIENDLY = re.compile(
    r"\b(?P<who>kid|kids|child|children|family|baby|dog|cat)[\s-]+(?:friendly|safe|proof)\b"
    r"|\b(?P<de>kinderfreundlich|kinderlieb|katzenvertraglich|hundevertraglich|familienfreundlich)\w*"
    r"|\bfamily\s+(?:dog|cat|pet)\b"
    r"|\bfor\s+(?:my|our|the)\s+(?:(?:young|little|small)\s+)?(?:kids|children|toddlers?|family)\b"
)
_DE_FRIENDLY = {"kinderfreundlich": "children", "kinderlieb": "children", "familienfreundlich": "children",
                "katzenvertraglich": "cats", "hundevertraglich": "dogs"}


def read_good_with(text: str) -> tuple[dict[str, object], str]:
    """Good-with fields the text names ("good with kids and cats", "dog-friendly"), and the text without them.

    Runs before nouns are marked, so "good with cats" does not ask for cats."""
    found: dict[str, object] = {}

    def good_with(m: re.Match[str]) -> str:
        said = m.groupdict()
        value = not (said.get("neg") or said.get("neg2") or said.get("hates"))
        words = [m.group("who")] + re.findall(alternation(_COMPANIONS), m.group("more") or "")
        for word in words:
            found[f"good_with_{_COMPANIONS[word]}"] = value
        return " "

    def at_home(m: re.Match[str]) -> str:
        found[f"good_with_{_COMPANIONS[m.group('who')]}"] = True
        return " "

    def friendly(m: re.Match[str]) -> str:
        if m.group("de"):
            key = next(v for k, v in _DE_FRIENDLY.items() if m.group("de").startswith(k))
        elif m.group("who"):
            who = m.group("who")
            key = "children" if who in ("kid", "kids", "child", "children", "family", "baby") else who + "s"
        else:
            key = "children"
        found[f"good_with_{key}"] = True
        return " " if not m.group(0).startswith("family ") else " " + m.group(0).split()[-1] + " "

    if "mit" in text:
        text = _WITH_FIRST.sub(good_with, text)
    if _AT_HOME.search(text):
        text = _AT_HOME_WHO.sub(at_home, text)
    if any(word in text for word in ("with", "con", "avec", "mit", "zu", "along", "like", "love", "hate", "fear", "aime",
                                     "adore")):
        text = _GOOD_WITH.sub(good_with, text)
    if any(word in text for word in ("friendly", "safe", "proof", "lieb", "vertraglich", "freundlich", "family", "for ")):
        text = _FRIENDLY.sub(friendly, text)
    return found, text


def read_sex_and_size(text: str) -> tuple[dict[str, object], str]:
    """Sex and size the text names, and the text without them (after nouns are marked: a breed such as
    "Miniature Schnauzer" keeps its words)."""
    found: dict[str, object] = {}

    def sex(m: re.Match[str]) -> str:
        found.setdefault("sex", SEX_WORDS[m.group(0)])
        return " "

    def size(m: re.Match[str]) -> str:
        found.setdefault("size", SIZE_WORDS[re.sub(r"\s+", " ", m.group(0))])
        return " "

    return found, _SIZE_RE.sub(size, _SEX_RE.sub(sex, text))


WORDS = words_of(*SEX_WORDS, *SIZE_WORDS, *_COMPANIONS, _GOOD, _GOOD_WITH.pattern, _WITH_FIRST.pattern, _FRIENDLY.pattern,
                 _AT_HOME_WHO.pattern)
LEXICON = {**{word: value for word, value in SEX_WORDS.items() if " " not in word},
           **{word: value for word, value in SIZE_WORDS.items() if " " not in word and "-" not in word}}
