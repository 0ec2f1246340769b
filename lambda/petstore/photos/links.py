"""Where photos are served: `PHOTOS_URL` (a photo with key K is at `<PHOTOS_URL>/K`), else the stage variable
`photosUrl`, else the page's origin (the distribution serves the photos under /photos/ beside the page)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from .rules import published_key

_STAGE_BASE: ContextVar[str | None] = ContextVar("photos_base", default=None)


def use_stage(stage_variables: Mapping[str, Any] | None) -> None:
    """Take the base URL from this invocation's stage variables (API Gateway passes them with each event)."""
    variables = stage_variables or {}
    base = variables.get("photosUrl") or variables.get("allowedOrigin")
    _STAGE_BASE.set(str(base).rstrip("/") if base else None)


def base_url() -> str:
    configured = os.environ.get("PHOTOS_URL") or _STAGE_BASE.get() or os.environ.get("ALLOWED_ORIGIN") or ""
    return configured.rstrip("/")


def photo_url(pet_id: str, photo_id: str) -> str:
    return f"{base_url()}/{published_key(pet_id, photo_id)}"
