"""Opaque page cursors, bound to the search they continue.

A cursor carries the filter it belongs to and the store position after the last pet returned. The
service only accepts it for that same filter, and the store only accepts a position of the index that
filter selects, so a cursor can't be turned into a read of another index or another filter's results;
a client that edits one can at most skip ahead within results it may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .errors import BadRequest
from .models import PetFilter

VERSION = 1


@dataclass(frozen=True)
class Cursor:
    pet_filter: PetFilter
    position: str
    returned: int
    extra: dict[str, Any]


def encode(pet_filter: PetFilter, position: str, returned: int, **extra: Any) -> str:
    payload = {"v": VERSION, "f": pet_filter.model_dump(mode="json", exclude_defaults=True), "p": position, "n": returned}
    if extra:
        payload["x"] = extra
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        if not isinstance(payload, dict) or payload.get("v") != VERSION:
            raise ValueError("unknown cursor version")
        position, returned, extra = payload["p"], payload["n"], payload.get("x", {})
        if not isinstance(position, str) or not isinstance(returned, int) or returned < 0 or not isinstance(extra, dict):
            raise ValueError("malformed cursor")
        return Cursor(PetFilter.model_validate(payload["f"]), position, returned, extra)
    except (ValueError, KeyError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError) as exc:
        raise BadRequest("The cursor is not valid: pass next_cursor from a previous response unchanged.") from exc
