"""Lambda entry point of the reservation sweeper: on a schedule, releases every reservation that lapsed.

Reads release lapsed reservations too (a few each, before they look), so the store is right whenever someone
looks; the sweep keeps it right when nobody does, and takes any backlog larger than a read releases.
"""

from __future__ import annotations

from typing import Any

from petstore.api.container import Container
from petstore.observability import logger

SAFETY_SECONDS = 2.0  # stop starting releases this long before the function's timeout

container = Container()


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    def time_left() -> float:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        return (remaining() / 1000 if remaining else 60.0) - SAFETY_SECONDS

    released = container.lapses.sweep(time_left)
    logger.info("reservations swept", extra={"released": released})
    return {"released": released}
