"""Opaque page cursors, bound to the search they continue.

A cursor carries the filter (and search text) it belongs to, the store position where the next page
starts, how many pets came before it, and the total the first page reported. The service only accepts
it for that same search, and the store only accepts a position of the order that search uses, so a
cursor can't be turned into a read of another filter's results; a client that edits one can at most
skip ahead within results it may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .errors import BadRequest
from .models import PetFilter

VERSION = 2


@dataclass(frozen=True)
class Cursor:
    pet_filter: PetFilter
    position: str
    returned: int
    extra: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    total: int | None = None
    total_capped: bool = False
    walk: bool = False  # the plan's narrower ranges did not fit: go straight to the ordered walk


def encode(pet_filter: PetFilter, position: str, returned: int, *, text: str | None = None, total: int | None = None,
           total_capped: bool = False, walk: bool = False, **extra: Any) -> str:
    payload: dict[str, Any] = {"v": VERSION, "f": pet_filter.model_dump(mode="json", exclude_defaults=True), "p": position,
                               "n": returned}
    if text:
        payload["q"] = text
    if total is not None:
        payload["t"] = total
        if total_capped:
            payload["c"] = True
    if walk:
        payload["w"] = True
    if extra:
        payload["x"] = extra
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str) -> Cursor:
    """The cursor's content; any token that is not one we issued is a 400, never an error of ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        if not isinstance(payload, dict) or payload.get("v") != VERSION:
            raise ValueError("unknown cursor version")
        position, returned, extra = payload["p"], payload["n"], payload.get("x", {})
        text, total, capped, walk = payload.get("q"), payload.get("t"), payload.get("c", False), payload.get("w", False)
        if (not isinstance(position, str) or type(returned) is not int or returned < 0 or not isinstance(extra, dict)
                or not (text is None or isinstance(text, str)) or not (total is None or (type(total) is int and total >= 0))
                or not isinstance(capped, bool) or not isinstance(walk, bool)):
            raise ValueError("malformed cursor")
        return Cursor(PetFilter.model_validate(payload["f"]), position, returned, extra, text, total, capped, walk)
    except (ValueError, KeyError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest("The cursor is not valid: pass next_cursor from a previous response unchanged.") from exc
