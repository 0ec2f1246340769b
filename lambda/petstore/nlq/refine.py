"""Conversation refinement: what a new question names replaces, what it does not name carries over.

`follow` applies the turn rule of `turns.py` (start over, refine, widen), the default status (a question that
names none looks at available pets) and says which fields were carried from the previous turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from ..models import PetFilter, PetStatus
from .keywords import Reading, read_query
from .vocabulary import Vocabulary

# Fields that change together: naming any one of a group replaces the whole group (but see RANGES). Every filter
# field is in one.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("type", "breed"),
    ("min_price", "max_price", "min_price_strict", "max_price_strict"),
    ("min_age", "max_age", "min_age_strict", "max_age_strict"),
    ("status",),
    ("sex",),
    ("size",),
    ("good_with_children",),
    ("good_with_dogs",),
    ("good_with_cats",),
    ("sort",),
    ("limit",),
)
# Ranges: a follow-up naming one side ("and under 1000?") keeps the other side when the two still overlap.
RANGES: dict[tuple[str, ...], tuple[str, str]] = {GROUPS[1]: ("min_price", "max_price"), GROUPS[2]: ("min_age", "max_age")}
# What each widening word drops from the carried filter.
WIDENED_FIELDS: dict[str, tuple[str, ...]] = {
    "type": ("type", "breed"),
    "breed": ("breed",),
    "price": GROUPS[1],
    "age": GROUPS[2],
    "status": ("status",),
    "sort": ("sort",),
    "limit": ("limit",),
    "sex": ("sex",),
    "size": ("size",),
}
DEFAULT_STATUS = PetStatus.available


@dataclass(frozen=True)
class Turn:
    pet_filter: PetFilter  # the filter to apply
    carried: tuple[str, ...] = ()  # fields kept from the previous turn (strict flags travel with their bound)
    understood: bool = True  # False: the subject was not understood, so no pets are offered
    fresh: bool = True  # the question started a new search


def _named_fields(pet_filter: PetFilter) -> set[str]:
    """Fields the filter explicitly names; an explicit None names nothing."""
    return {name for name in pet_filter.model_fields_set if getattr(pet_filter, name) is not None}


def _carried(previous: PetFilter, group: tuple[str, ...]) -> dict[str, object]:
    return {
        name: getattr(previous, name)
        for name in group
        if getattr(previous, name) is not None and getattr(previous, name) != PetFilter.model_fields[name].default
    }


def _other_side(previous: PetFilter, named: PetFilter, sides: tuple[str, str]) -> dict[str, object]:
    """The previous range's other side, when the new question names only one side and the two still overlap:
    "cats over 500" then "and under 1000?" is 500 to 1000; then "under 300" is a new range."""
    low, high = sides
    named_fields = _named_fields(named)
    if (low in named_fields) == (high in named_fields):
        return {}
    keep, new = (high, low) if low in named_fields else (low, high)
    kept, value = getattr(previous, keep), getattr(named, new)
    if kept is None:
        return {}
    lo, hi = (value, kept) if keep == high else (kept, value)
    strict = getattr(previous, f"{keep}_strict") or getattr(named, f"{new}_strict")
    if lo > hi or (lo == hi and strict):
        return {}
    return {keep: kept, f"{keep}_strict": getattr(previous, f"{keep}_strict")}


def refine(previous: PetFilter | None, named: PetFilter, start_over: bool = False) -> PetFilter:
    """Merge `named` (what the new query names) into `previous` (the conversation's filter so far)."""
    if previous is None or start_over:
        return named
    named_fields = _named_fields(named)
    fresh: dict[str, object] = {}
    carried: list[dict[str, object]] = []
    # "the oldest cat" picks one pet for that turn. A follow-up that names a new subject together with
    # its own ranges ("puppies between 200 and 800") does not inherit the pick; "what about dogs?" alone does.
    new_search = bool(named_fields & {"type", "breed"}) and bool(named_fields & {"min_price", "max_price", "min_age", "max_age"})
    for group in GROUPS:
        if group == ("limit",) and new_search and "limit" not in named_fields:
            continue
        if named_fields & set(group):
            fresh.update({name: getattr(named, name) for name in group if name in named_fields})
            if group in RANGES:
                fresh.update(_other_side(previous, named, RANGES[group]))
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


def is_fresh(reading: Reading) -> bool:
    """The turn rule (see turns.py): does this question start a new search?"""
    cues = reading.cues
    if cues.starts_over:
        return True
    if cues.refers_back:
        return False
    return cues.everything or (reading.subject and (reading.constraint or cues.opens_request))


def follow(previous: PetFilter | None, reading: Reading, named: PetFilter | None = None) -> Turn:
    """The filter a question asks for in a conversation whose filter so far is `previous`.

    `named` is what the question names when someone else read it (Bedrock); the keyword reading still
    decides the turn, the widening and what was not understood.
    """
    named = reading.named if named is None else named
    subject = reading.subject or bool(named.type or named.breed)
    if reading.unrecognised and not subject and not (previous is not None and reading.cues.refers_back):
        return Turn(_with_status(named, None, reading), understood=False)
    fresh = previous is None or is_fresh(reading)
    base = None if fresh else previous
    if base is not None:
        widened = set(reading.cues.widened) | ({"type"} if reading.all_types else set())
        drop = {name for group in widened for name in WIDENED_FIELDS[group]}
        base = PetFilter.model_validate({k: v for k, v in base.model_dump(exclude_defaults=True).items() if k not in drop})
    if base is not None and reading.cues.adds and named.type and base.type and not (named.breed or base.breed):
        named = named.model_copy(update={"type": sorted(set(base.type) | set(named.type))})
    merged = _with_status(refine(base, named), base, reading)
    named_fields = _named_fields(named)
    carried = tuple(
        name for name in PetFilter.model_fields
        if base is not None and not name.endswith("_strict") and name not in named_fields
        and getattr(base, name) is not None and getattr(merged, name) == getattr(base, name)
        and not (name == "status" and merged.status == DEFAULT_STATUS)
    )
    return Turn(merged, carried, understood=True, fresh=fresh)


def _with_status(pet_filter: PetFilter, base: PetFilter | None, reading: Reading) -> PetFilter:
    """A new search that names no status looks at available pets; "including adopted" looks at all."""
    if "status" in reading.cues.widened:
        return pet_filter.model_copy(update={"status": None})
    if pet_filter.status is None and base is None:
        return pet_filter.model_copy(update={"status": DEFAULT_STATUS})
    return pet_filter


def keyword_filter(text: str, vocabulary: Vocabulary, previous: PetFilter | None) -> PetFilter:
    """The keyword parser's answer to `text` in a conversation whose filter so far is `previous`."""
    return follow(previous, read_query(text, vocabulary)).pet_filter
