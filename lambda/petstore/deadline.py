"""When the current request started, so time limits count from there (cold start and gateway wait included)."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Mapping
from typing import Any

# API Gateway stamps when it received the request; time spent before the handler ran (a cold start's
# imports, the gateway) counts too, up to this much (beyond it the stamp is not trusted: clock skew,
# or a stored test event).
MAX_TIME_BEFORE_HANDLER = 5.0

_started: contextvars.ContextVar[float | None] = contextvars.ContextVar("request_started", default=None)


def start_request(event: Mapping[str, Any] | None = None, clock: Callable[[], float] = time.monotonic,
                  wall: Callable[[], float] = time.time) -> None:
    now = clock()
    started = now
    stamp = ((event or {}).get("requestContext") or {}).get("requestTimeEpoch")
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
        waited = wall() - stamp / 1000
        if 0 < waited <= MAX_TIME_BEFORE_HANDLER:
            started = now - waited
    _started.set(started)


def end_request() -> None:
    _started.set(None)


def elapsed(clock: Callable[[], float] = time.monotonic) -> float | None:
    """Seconds since the current request started; None outside a request."""
    started = _started.get()
    return None if started is None else clock() - started
