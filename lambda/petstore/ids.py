"""Pet ids: UUIDs the store assigns; anything else names no pet (and is never sent to DynamoDB)."""

from __future__ import annotations

import uuid


# Names the pet an Idempotency-Key creates (UUIDv5 of the caller and the key): a retry after a failure anywhere,
# even once the key's record is gone, finds the pet it made instead of making another.
_KEYED = uuid.UUID("6f1d6a52-8a57-4c5e-9a4e-2f7b8c1d9e30")


def keyed_pet_id(scoped_key: str) -> str:
    return str(uuid.uuid5(_KEYED, scoped_key))


def is_pet_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False
