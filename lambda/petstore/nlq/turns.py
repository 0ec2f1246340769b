"""Turns of a conversation: does a question start over, refine the previous one, or widen it?

The rule, in one paragraph (the README states it too): a question refines the previous one when it refers
back ("what about cats?", "and under 300?", "only the young ones", "cheaper ones", "¿y los gatos?", "et les
chats ?", "und Katzen?") or is elliptical (it names no subject of its own, "under 300", or only a subject,
"cats?"). A self-contained question starts over: it names its own subject together with a constraint, an
order, a pick or a status ("the most expensive bird", "chats de moins de 200 euros"), or opens with a request
("show me ...", "I want ...", "find ...", "do you have ...", "all dogs"), or asks for everything. "Start over", "new
search" and the like always start over. Widening words drop what they name from the carried filter: "any
price", "forget the price", "any age", "any breed", "any size", "any sex", "any kind of pet", "any order",
"including adopted". "cats too" and "also dogs" add the animals they name to the conversation's.

Cues are read on folded text (lowercase, accents removed) before anything else, so that "including adopted"
is a widening, not a request for adopted pets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import alternation, words_of

_LEAD = (r"^[\W_]*(?:(?:ok(?:ay)?|so|well|hmm+|right|oh|alright|great|thanks|thank\s+you|cool|nice|hi|hello|hey|hola|"
         r"bonjour|hallo|please|por\s+favor|bitte|s'?il\s+(?:te|vous)\s+pla[iî]t)[\W_]+)*")

_REFERS_BACK_OPENERS = [
    "and", "what about", "how about", "what of", "what if", "also", "only", "just", "but", "now", "then", "same",
    "instead", "plus", "maybe", "perhaps", "make it", "make that",
    "y", "y que tal", "que tal", "y si", "solo", "solamente", "ahora", "tambien", "pero", "mejor",
    "et", "et si", "et pour", "quoi de", "seulement", "juste", "plutot", "maintenant", "aussi", "mais",
    "und", "was ist mit", "wie ware es mit", "wie waere es mit", "wie steht es mit", "und was ist mit", "nur",
    "auch", "jetzt", "aber", "lieber", "stattdessen",
]
_REFERS_BACK_START = re.compile(_LEAD + rf"(?:{alternation(_REFERS_BACK_OPENERS)})(?![\w'])")
_REFERS_BACK_ANYWHERE = re.compile(
    r"\b(?:ones|them|those|these|they|instead|as\s+well|too|either|the\s+same|ceux|celles|ceux-la|esos|esas|"
    r"estos|estas|davon|stattdessen|en\s+lugar|a\s+la\s+place|plutot|tambien|aussi|auch)\b"
)
# "cats too", "also dogs": the named animals join the conversation's instead of replacing them.
_ADDS = re.compile(r"\b(?:too|as\s+well|also|aussi|egalement|auch|tambien|ademas)\b")
# Comparatives without "than" compare with the previous answer ("cheaper ones", "anything younger?").
COMPARATIVE = re.compile(r"\b(?:cheaper|pricier|older|younger|bigger|smaller|less\s+expensive)\b(?!\s+than)")

_OPENERS = [
    "show", "find", "search", "list", "give", "get", "fetch", "display", "browse", "i want", "i wanna",
    "i would like", "i'd like", "id like", "i need", "i'm looking", "im looking", "i am looking", "we're looking",
    "we are looking", "looking for", "i'm after", "i am after", "i'm interested", "im interested", "do you have",
    "do you sell", "do you guys have", "have you got", "got any", "are there", "is there", "let me see",
    "can i see", "can i get", "can i have", "i'd love", "can you show", "could you show", "would you show",
    "can you find", "could you find", "recommend", "suggest",
    "muestrame", "muestreme", "ensename", "quiero", "quisiera", "busco", "buscamos", "tienes", "tienen",
    "tiene", "hay", "dame", "necesito", "me gustaria",
    "montre", "montrez", "montre-moi", "montrez-moi", "je veux", "je voudrais", "je cherche", "nous cherchons",
    "avez-vous", "avez vous", "vous avez", "y a-t-il", "il y a", "donne", "donnez", "trouve", "trouvez",
    "zeig", "zeige", "zeigen sie", "ich will", "ich mochte", "ich moechte", "ich suche", "wir suchen", "habt ihr",
    "haben sie", "gibt es", "gib", "finde",
]
_OPENER = re.compile(_LEAD + rf"(?:{alternation(_OPENERS)})(?![\w'])")
# "all dogs", "every cat", "todos los perros", "tous les chats", "alle Hunde": a request for a whole subject.
_ALL_OF = re.compile(_LEAD + r"(?:all|every|todos|todas|tous|toutes|alle)(?![\w'])")

_EVERYTHING = re.compile(
    r"\b(?:everything|anything|every\s+(?:single\s+)?(?:pet|animal)|all\s+(?:(?:the|your|of\s+the|of\s+your)\s+)?"
    r"(?:pets|animals)|(?:the\s+)?whole\s+(?:store|shop|inventory|lot)|todo|todas\s+las\s+mascotas|"
    r"todos\s+los\s+animales|tout|tous\s+les\s+animaux|alles|alle\s+tiere)\b"
)

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

# -- widening: "any price", "forget the age", "including adopted" ------------------------------------------
_ANY = (r"(?:any|whatever|all|every|no\s+particular|cualquier|qualquier|n'?importe\s+quel(?:le)?s?|"
        r"peu\s+importe\s+(?:le|la|l')?\s*|egal\s+welche[rs]?|beliebige[rns]?|jede[rns]?|irgendein(?:e[rns]?)?)")
_DROP = (r"(?:forget(?:\s+about)?|ignore|drop|remove|lose|never\s*mind|no|without(?:\s+a)?|regardless\s+of|"
         r"irrespective\s+of|olvida(?:te)?(?:\s+de)?|sin(?:\s+importar)?|oublie[zr]?|sans|vergiss|ohne|ignorier(?:e|en)?)")
_THE = r"(?:\s+(?:the|my|a|an|el|la|los|las|le|les|l'|den|die|das|der|mein(?:en)?))?"


def _field(words: str, extra: str = "") -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:{_ANY}\s*(?:{words})|{_DROP}{_THE}\s*(?:{words})(?:\s+(?:limit|cap|range|filter|limite|grenze))?"
        rf"|(?:{words})\s+(?:(?:doesn'?t|does\s+not|don'?t|no|ist|spielt\s+keine)\s+)?(?:matter|importa|egal|rolle)"
        rf"{extra})(?![\w])"
    )


_WIDEN: dict[str, re.Pattern[str]] = {
    "price": _field(r"prices?|budget|costs?|precios?|prix|preise?|kosten"),
    "age": _field(r"ages?|edad(?:es)?|alter", r"|(?:no\s+matter\s+how|egal\s+wie)\s+(?:old|alt)"),
    "breed": _field(r"breeds?|razas?|races?|rassen?"),
    "type": _field(r"(?:kind|type|sort)s?(?:\s+of\s+(?:pets?|animals?))?|pet|animal|species|tipos?|animal|mascota|"
                   r"tier|tierart(?:en)?|arten?"),
    "status": re.compile(
        r"\b(?:(?:any|whatever|all|every)\s+(?:status(?:es)?|availability)|regardless\s+of\s+(?:the\s+)?status|"
        r"(?:adopted|sold|reserved|pending)\s+or\s+not|whether\s+(?:adopted|sold|reserved|available)\s+or\s+not|"
        r"(?:including|incl\.?|even|plus|also|incluidos?|incluidas?|incluso|tambien|y\s+compris|meme|aussi|auch|"
        r"einschliesslich|inklusive|mitsamt)\s+(?:the\s+|los\s+|las\s+|les\s+|die\s+)?(?:adopted|sold|reserved|pending|"
        r"unavailable|adoptad[oa]s|vendid[oa]s|reservad[oa]s|adoptee?s|vendue?s|reservee?s|adoptierte[n]?|"
        r"verkaufte[n]?|reservierte[n]?)(?:\s+(?:ones|pets|animals))?|"
        r"(?:adopted|sold|reserved|pending)(?:\s+(?:ones|pets|animals))?\s+(?:too|as\s+well|included))\b"
    ),
    "sort": re.compile(
        r"\b(?:(?:(?:any|whatever)\s+|no\s+(?:particular\s+|specific\s+)?)order|unsorted|(?:don'?t|do\s+not)\s+sort|"
        r"no\s+sorting|order\s+(?:doesn'?t|does\s+not)\s+matter|sin\s+orden|peu\s+importe\s+l'?ordre|"
        r"egal\s+welche\s+reihenfolge)\b"
    ),
    "limit": re.compile(r"\b(?:all\s+of\s+them|show\s+(?:me\s+)?all|all\s+(?:the\s+)?results|not\s+just\s+(?:one|1))\b"),
    "sex": _field(r"sex|sexes|gender|genders|sexo|genero|sexe|geschlecht|male\s+or\s+female|boy\s+or\s+girl"),
    "size": _field(r"sizes?|tamanos?|tailles?|grossen?|grosse"),
}

WORDS = words_of(
    _LEAD, _ALL_OF.pattern, _ADDS.pattern, _REFERS_BACK_ANYWHERE.pattern, COMPARATIVE.pattern, _EVERYTHING.pattern, _STARTS_OVER.pattern,
    _ANY, _DROP, *_REFERS_BACK_OPENERS, *_OPENERS, *(p.pattern for p in _WIDEN.values()),
)


@dataclass(frozen=True)
class Cues:
    starts_over: bool
    refers_back: bool
    opens_request: bool
    everything: bool
    widened: frozenset[str]  # filter groups to drop from the carried filter: price, age, breed, type, status, sort, limit
    adds: bool = False  # "too", "also": named types are added to the conversation's


def read_cues(folded: str) -> tuple[Cues, str]:
    """The turn cues of folded text, and the text with the widening phrases taken out."""
    everything = bool(_EVERYTHING.search(folded))
    # Before widening phrases come out: "show me all cats" opens a request though "show me all" also widens.
    opens_request = bool(_OPENER.search(folded) or _ALL_OF.search(folded))
    widened = set()
    for group, pattern in _WIDEN.items():
        if pattern.search(folded):
            widened.add(group)
            folded = pattern.sub(" ", folded)
    cues = Cues(
        starts_over=bool(_STARTS_OVER.search(folded)),
        refers_back=bool(_REFERS_BACK_START.search(folded) or _REFERS_BACK_ANYWHERE.search(folded)),
        opens_request=opens_request,
        everything=everything,
        widened=frozenset(widened),
        adds=bool(_ADDS.search(folded)),
    )
    return cues, folded


def starts_over(text: str) -> bool:
    """True when the text asks to drop the conversation's earlier filter ("start over", "new search", ...)."""
    from .text import fold

    return bool(_STARTS_OVER.search(fold(text)))
