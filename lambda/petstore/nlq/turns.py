"""Turns of a conversation: whether a question starts over, refines the previous one, or widens it."""

from __future__ import annotations

import re

from .text import fold

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


def starts_over(text: str) -> bool:
    """True when the text asks to drop the conversation's earlier filter ("start over", "new search", ...)."""
    return bool(_STARTS_OVER.search(fold(text)))
