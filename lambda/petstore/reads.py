"""The read budget: every request reads at most READ_BUDGET DynamoDB items, whatever it asks for."""

from __future__ import annotations

from typing import Any

from .models import MAX_PAGE_SIZE

# A few times the largest page: a full page of 100 with its look-ahead, the store's counts and the
# partitions a search merges fit with room to spare; a search whose residual filter would read more
# stops there and answers with what it found and a cursor that resumes the reading.
READ_BUDGET = 3 * MAX_PAGE_SIZE


class Reads:
    """Items read by one request, against its budget; also holds what the request already read once."""

    def __init__(self, budget: int = READ_BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self.memo: dict[str, Any] = {}

    @property
    def remaining(self) -> int:
        return max(0, self.budget - self.used)

    def spend(self, items: int) -> None:
        self.used += items
