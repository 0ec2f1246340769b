"""The photo rules: how many, how large, how long an upload form lasts, where objects live, the default alt text."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

MAX_PHOTOS = 8
"""Photos per pet: enough for a listing; keeps the pet's item (copied into every index) small."""
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
"""Larger images are refused: a few MB of compressed pixels must not unpack into gigabytes in a browser."""
UPLOAD_SECONDS = 300
CACHE_CONTROL = "public, max-age=3600"
"""Photos never change under a key; an hour bounds how long a removed photo may linger in caches."""

INCOMING = "incoming/"
"""Uploads land here, unseen by anyone, until processing checks them (a lifecycle rule clears leftovers)."""
PUBLISHED = "photos/"
"""Checked photos; the only prefix the content delivery network may read."""
_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_INCOMING_KEY = re.compile(rf"^{INCOMING}(?P<pet>{_ID})/(?P<photo>{_ID})$")
ALT_METADATA = "alt"


def incoming_key(pet_id: str, photo_id: str) -> str:
    return f"{INCOMING}{pet_id}/{photo_id}"


def published_key(pet_id: str, photo_id: str) -> str:
    return f"{PUBLISHED}{pet_id}/{photo_id}"


def pet_prefixes(pet_id: str) -> tuple[str, str]:
    """Everything stored for a pet: its uploads waiting to be checked and its photos."""
    return f"{INCOMING}{pet_id}/", f"{PUBLISHED}{pet_id}/"


def parse_incoming(key: str) -> tuple[str, str] | None:
    """(pet id, photo id) of an upload's key; None for any other key."""
    found = _INCOMING_KEY.match(key)
    return (found["pet"], found["photo"]) if found else None


def encode_alt(alt: str) -> str:
    """Alt text for S3 user metadata, which carries ASCII only."""
    return base64.urlsafe_b64encode(alt.encode("utf-8")).decode("ascii")


def decode_alt(value: str | None) -> str | None:
    if not value:
        return None
    try:
        text = base64.urlsafe_b64decode(value.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    return text.strip() or None


def default_alt(pet: Any) -> str:
    """'Buddy, a Golden Retriever', 'Kiwi, a bird': from the pet's name and its breed, else its type."""
    name, breed, kind = _get(pet, "name"), _get(pet, "breed"), _get(pet, "type")
    what = breed or kind or "pet"
    article = "an" if what[:1].lower() in "aeiou" else "a"
    return f"{name}, {article} {what}"


def follow_rename(before: Any, after: dict[str, Any]) -> list[dict[str, Any]]:
    """The photos of a pet after a change: alt texts that were the default follow its new name, breed or type."""
    old, new = default_alt(before), default_alt(after)
    photos = [dict(photo) for photo in after.get("photos") or []]
    if old != new:
        for photo in photos:
            if photo.get("alt") == old:
                photo["alt"] = new
    return photos


def _get(pet: Any, name: str) -> Any:
    return pet.get(name) if isinstance(pet, dict) else getattr(pet, name, None)
