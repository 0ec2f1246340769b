"""Operations on the whole table, never run by a request: bulk loads, re-deriving keys, rebuilding the counts.

    python -m petstore.store.maintenance reindex --table <PetsTable>   # every pet's derived keys
    python -m petstore.store.maintenance recount --table <PetsTable>   # the counts, from the pets

Both read the whole table once (a Scan): for a table filled before these keys or counts existed, or
loaded around the API. Run them while nothing writes pets (a write during a recount may be missed).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..models import Pet
from .aws import client
from .counts import REVISION_ATTR, combo_attr, combo_of, counts_ids
from .dynamodb import pet_from_item, pet_item


def _pet_items(ddb: Any, table: str) -> Iterator[dict[str, Any]]:
    kwargs: dict[str, Any] = {"TableName": table}
    while True:
        page = ddb.scan(**kwargs)
        for item in page.get("Items", []):
            if not item["id"]["S"].startswith("#"):  # pets have UUIDs; "#counts#...", "#holder#..." are the store's own
                yield item
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _write(ddb: Any, table: str, items: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == 25:
            _flush(ddb, table, batch)
            batch = []
    if batch:
        _flush(ddb, table, batch)


def _flush(ddb: Any, table: str, batch: list[dict[str, Any]]) -> None:
    request = {table: batch}
    while request:
        request = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


def write_counts(ddb: Any, table: str, pets: Iterable[dict[str, Any]]) -> int:
    """Replace the counts with those of `pets` (shard 0 holds them all, the other shards are reset)."""
    combos = Counter(combo_of(pet) for pet in pets)
    first, *others = counts_ids()
    item: dict[str, Any] = {"id": {"S": first}, REVISION_ATTR: {"N": "1"}}
    item.update({combo_attr(combo): {"N": str(n)} for combo, n in combos.items()})
    _write(ddb, table, [item] + [{"id": {"S": shard}, REVISION_ATTR: {"N": "1"}} for shard in others])
    return sum(combos.values())


def load(ddb: Any, table: str, pets: list[Pet]) -> None:
    """Put many pets into an empty table at once (batch writes), with their counts."""
    _write(ddb, table, (pet_item(pet) for pet in pets))
    write_counts(ddb, table, (pet.model_dump(mode="json") for pet in pets))


def reindex(ddb: Any, table: str) -> int:
    """Rewrite every pet with the derived keys of the current layout; returns how many."""
    pets = [pet_from_item(item) for item in _pet_items(ddb, table)]
    _write(ddb, table, (pet_item(pet) for pet in pets))
    return len(pets)


def recount(ddb: Any, table: str) -> int:
    """Rebuild the counts from the pets in the table; returns how many pets were counted."""
    return write_counts(ddb, table, (pet_from_item(item).model_dump(mode="json") for item in _pet_items(ddb, table)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("operation", choices=["reindex", "recount"])
    parser.add_argument("--table", required=True, help="the pets table (the stack's PetsTableName output)")
    args = parser.parse_args()
    ddb = client("dynamodb")
    if args.operation == "reindex":
        print(f"reindexed {reindex(ddb, args.table)} pets")
    print(f"counted {recount(ddb, args.table)} pets")


if __name__ == "__main__":
    main()
