"""Per-principal rate limits for costly operations (every question may cost a Bedrock call).

A fixed window per principal, counted in the store behind the `RateCounter` port: simple, one write per
request, and the same limit across every Lambda container. A principal can reach at most twice the limit
across a window boundary, which is fine for a cost guard.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .auth import Principal
from .errors import PetStoreError, Throttled
from .observability import logger
from .store.ports import RateCounter

# Counters outlive their window a little, so a clock skew between containers can't reset one early.
EXPIRY_GRACE_SECONDS = 60


class RateLimitExceeded(Throttled):
    code = "RateLimitExceeded"


@dataclass(frozen=True)
class RateLimit:
    requests: int
    """Requests allowed per principal and window; 0 means no limit."""
    window_seconds: int = 60

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], prefix: str) -> RateLimit:
        """`<prefix>_RATE_LIMIT` (requests per window, 0 or unset: no limit), `<prefix>_RATE_WINDOW_SECONDS` (60)."""
        requests, window = environ.get(f"{prefix}_RATE_LIMIT") or "0", environ.get(f"{prefix}_RATE_WINDOW_SECONDS") or "60"
        if not (requests.isdigit() and window.isdigit() and int(window) > 0):
            raise RuntimeError(f"{prefix}_RATE_LIMIT must be a whole number >= 0 and {prefix}_RATE_WINDOW_SECONDS "
                               f"one > 0 (they are {requests!r} and {window!r})")
        return cls(int(requests), int(window))


class RateLimiter:
    def __init__(self, counter: RateCounter, limit: RateLimit, action: str,
                 clock: Callable[[], float] = time.time) -> None:
        self._counter = counter
        self._limit = limit
        self._action = action
        self._clock = clock

    @property
    def limit(self) -> RateLimit:
        return self._limit

    def check(self, principal: Principal) -> None:
        """Count one request of `principal`; RateLimitExceeded (429 with Retry-After) when over the limit."""
        if self._limit.requests <= 0:
            return
        now = self._clock()
        window = self._limit.window_seconds
        start = int(now // window) * window
        key = f"{self._action}#{principal.subject}#{start}"
        try:
            count = self._counter.increment(key, start + window + EXPIRY_GRACE_SECONDS)
        except PetStoreError:  # the store busy is a 429 of its own
            raise
        except Exception:  # noqa: BLE001 - a broken counter must not take questions down; it is logged
            logger.exception("rate limit counter failed; request allowed", extra={"action": self._action})
            return
        if count > self._limit.requests:
            retry_after = max(1, math.ceil(start + window - now))
            raise RateLimitExceeded(
                f"Too many requests: at most {self._limit.requests} every {window} s per user; retry in {retry_after} s.",
                retry_after=retry_after, limit=self._limit.requests, window_seconds=window,
            )
