"""Pet ids: UUIDs the store assigns; anything else names no pet (and is never sent to DynamoDB)."""

from __future__ import annotations

import uuid


def is_pet_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False
