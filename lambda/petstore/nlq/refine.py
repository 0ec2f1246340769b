"""Conversation refinement: what a new query names replaces, what it does not name carries over."""

from __future__ import annotations

from pydantic import ValidationError

from ..models import PetFilter
from .keywords import parse_query, starts_over
from .vocabulary import Vocabulary

# Fields that change together: naming any one of a group replaces the whole group.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("type", "breed"),
    ("min_price", "max_price", "min_price_strict", "max_price_strict"),
    ("min_age", "max_age", "min_age_strict", "max_age_strict"),
    ("status",),
    ("sort",),
    ("limit",),
)


def _named_fields(pet_filter: PetFilter) -> set[str]:
    """Fields the filter explicitly names; an explicit None names nothing."""
    return {name for name in pet_filter.model_fields_set if getattr(pet_filter, name) is not None}


def _carried(previous: PetFilter, group: tuple[str, ...]) -> dict[str, object]:
    return {
        name: getattr(previous, name)
        for name in group
        if getattr(previous, name) is not None and getattr(previous, name) != PetFilter.model_fields[name].default
    }


def refine(previous: PetFilter | None, named: PetFilter, start_over: bool = False) -> PetFilter:
    """Merge `named` (what the new query names) into `previous` (the conversation's filter so far)."""
    if previous is None or start_over:
        return named
    named_fields = _named_fields(named)
    fresh: dict[str, object] = {}
    carried: list[dict[str, object]] = []
    # "the oldest cat" picks one pet for that turn. A follow-up that names a new subject together with
    # its own ranges ("puppies between 200 and 800") is a new search: the pick's count does not carry;
    # "what about dogs?" alone still does.
    new_search = bool(named_fields & {"type", "breed"}) and bool(named_fields & {"min_price", "max_price", "min_age", "max_age"})
    for group in GROUPS:
        if group == ("limit",) and new_search and "limit" not in named_fields:
            continue
        if named_fields & set(group):
            fresh.update({name: getattr(named, name) for name in group if name in named_fields})
        else:
            carried.append(_carried(previous, group))
    # Each group comes whole from one valid filter, so this validates; should a group still clash
    # (a filter built without validation), drop carried groups until it does.
    for dropped in range(len(carried) + 1):
        kwargs = dict(fresh)
        for values in carried[dropped:]:
            kwargs.update(values)
        try:
            return PetFilter(**kwargs)
        except ValidationError:
            continue
    return named


def keyword_filter(text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> PetFilter:
    """The keyword parser's answer to `text` in a conversation whose filter so far is `previous`."""
    return refine(previous, parse_query(text, vocabulary), starts_over(text))
