"""DynamoDB adapters for the pet repository and the conversation sessions."""

from __future__ import annotations

import functools
import json
import logging
import math
import secrets
import threading
import time
from collections import deque
from decimal import Decimal
from typing import Any, Callable

from ..errors import BadRequest, Throttled
from ..models import Pet, PetFilter
from ..observability import logger
from ..photos.links import photo_url
from ..reads import Reads
from .aws import THROTTLING_CODES, client, error_code
from .counts import COUNT_SHARDS, REVISION_ATTR, StoreCounts, combo_attr, counts_ids, deltas
from .keys import (
    EXPIRY_INDEX,
    POSITIONS,
    after,
    age_sk,
    breed_key,
    fold,
    holder_item_id,
    lapsed_by,
    name_sk,
    price_sk,
    reservation_partitions,
    reservation_shard,
    reserved_until,
    status_shard,
)
from .planner import Candidate, Plan, Search, Source, make_search, numeric_range, plan, probe_budget
from .ports import DueReservations, HolderLimitReached, PetChanged, PhotoNotAdded, SearchPage

PET_FIELDS = ("id", "name", "type", "breed", "age", "price", "status", "sex", "size", "good_with", "description",
              "reservation", "created_at", "updated_at", "version")
# A photo as stored on its pet: its URL is not stored but made where it is read (photos.links), so photos follow a
# change of domain. `photo_ids` (a string set) mirrors the ids, for conditions.
STORED_PHOTO_FIELDS = ("id", "alt", "width", "height")
SESSION_TTL_SECONDS = 24 * 3600
TRANSACTION_ATTEMPTS = 4
# Past the page, matches are counted (for `total`) until this many are known, or the budget runs out:
# "100+" is said for the cost of reading about a hundred items more, not the whole range.
COUNT_CAP = 100
CHUNK_SLACK = 1.25
_THROTTLED_IN_TRANSACTION = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})


def to_attr(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float, Decimal)):
        return {"N": str(Decimal(str(value)))}
    if isinstance(value, dict):
        return {"M": {str(k): to_attr(v) for k, v in value.items() if v is not None}}
    if isinstance(value, (list, tuple)):
        return {"L": [to_attr(v) for v in value]}
    return {"S": str(value)}


def from_attr(attr: dict[str, Any]) -> Any:
    if "N" in attr:
        number = Decimal(attr["N"])
        return int(number) if number == number.to_integral_value() else float(number)
    if "S" in attr:
        return attr["S"]
    if "BOOL" in attr:
        return attr["BOOL"]
    if "M" in attr:
        return {k: from_attr(v) for k, v in attr["M"].items()}
    if "L" in attr:
        return [from_attr(v) for v in attr["L"]]
    return None


def pet_item(pet: Pet) -> dict[str, Any]:
    """The full DynamoDB item for a pet: its fields plus the derived index keys."""
    data = pet.model_dump(mode="json")
    photos = [{name: photo.get(name) for name in STORED_PHOTO_FIELDS} for photo in data.pop("photos", None) or []]
    item = {name: to_attr(value) for name, value in data.items() if value is not None}
    if photos:
        item["photos"] = to_attr(photos)
        item["photo_ids"] = {"SS": [photo["id"] for photo in photos]}
    pet_id = data["id"]
    item.update({
        "price_sk": {"S": price_sk(data["price"], pet_id)},
        "age_sk": {"S": age_sk(data["age"], pet_id)},
        "name_sk": {"S": name_sk(data["name"], pet_id)},
        "name_key": {"S": fold(data["name"])},
        "status_shard": {"S": status_shard(data["status"], pet_id)},
    })
    if data.get("breed"):
        item["breed_key"] = {"S": breed_key(data["breed"])}
    if pet.reservation is not None:  # the keys of the sparse index of reservations by expiry
        item["reserved_until"] = {"S": reserved_until(pet.reservation.expires_at, pet_id)}
        item["reservation_shard"] = {"S": reservation_shard(pet_id)}
        if pet.reservation.holder_id:
            item["reserved_by"] = {"S": pet.reservation.holder_id}  # who may cancel it (never shown)
    return item


def pet_from_item(item: dict[str, Any]) -> Pet:
    data = {name: from_attr(item[name]) for name in PET_FIELDS if name in item}
    if "photos" in item:
        data["photos"] = [{**photo, "url": photo_url(data["id"], photo["id"])} for photo in from_attr(item["photos"])]
    pet = Pet.model_validate(data)
    if pet.reservation is not None and "reserved_by" in item:
        pet.reservation.holder_id = item["reserved_by"]["S"]
    return pet


def _guard(call: Callable[..., Any], **kwargs: Any) -> Any:
    """Call DynamoDB, turning throttling into a 429 the client can retry."""
    try:
        return call(**kwargs)
    except Exception as exc:
        if error_code(exc) in THROTTLING_CODES:
            raise Throttled("The store is busy; retry shortly.", retry_after=1) from exc
        raise


class _Table:
    """One DynamoDB table; the client is created on first use."""

    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self._table = table_name
        self._client = dynamodb

    @property
    def ddb(self) -> Any:
        if self._client is None:
            self._client = client("dynamodb")
        return self._client


class DynamoPetRepository(_Table):

    def get(self, pet_id: str) -> Pet | None:
        response = _guard(self.ddb.get_item, TableName=self._table, Key={"id": {"S": pet_id}}, ConsistentRead=True)
        item = response.get("Item")
        return pet_from_item(item) if item and "name" in item else None

    # -- writes: the pet and its counts change together, in one transaction ----------------------

    def insert(self, pet: Pet) -> None:
        put = {"Put": {"TableName": self._table, "Item": pet_item(pet), "ConditionExpression": "attribute_not_exists(#id)",
                       "ExpressionAttributeNames": {"#id": "id"}}}
        self._transact([put], deltas(None, pet.model_dump(mode="json")))

    def replace(self, current: Pet, new: Pet, holder_limit: int | None = None) -> None:
        put = {"Put": {"TableName": self._table, "Item": pet_item(new), **self._at_version(current)}}
        self._transact([put], deltas(current.model_dump(mode="json"), new.model_dump(mode="json")),
                       self._holder_updates(current, new, holder_limit))

    def remove(self, current: Pet) -> None:
        delete = {"Delete": {"TableName": self._table, "Key": {"id": {"S": current.id}}, **self._at_version(current)}}
        self._transact([delete], deltas(current.model_dump(mode="json"), None), self._holder_updates(current, None, None))

    def _holder_updates(self, before: Pet | None, after: Pet | None, limit: int | None) -> list[dict[str, Any]]:
        """The holders' items when the reservation changes hands: the pet leaves the old holder's, joins the new one's
        (only while that one holds fewer than `limit` pets, when a limit is given)."""
        old = before.reservation.holder_id if before is not None and before.reservation else None
        new = after.reservation.holder_id if after is not None and after.reservation else None
        if old == new:
            return []
        pet_id = (after or before).id  # type: ignore[union-attr]
        updates = []
        for holder, action in ((old, "DELETE"), (new, "ADD")):
            if not holder:
                continue
            update: dict[str, Any] = {
                "TableName": self._table, "Key": {"id": {"S": holder_item_id(holder)}},
                "UpdateExpression": f"{action} #pets :pet",
                "ExpressionAttributeNames": {"#pets": "pets"}, "ExpressionAttributeValues": {":pet": {"SS": [pet_id]}},
            }
            if action == "ADD" and limit is not None:
                update["ConditionExpression"] = "attribute_not_exists(#pets) OR size(#pets) < :limit"
                update["ExpressionAttributeValues"][":limit"] = {"N": str(limit)}
            updates.append({"Update": update})
        return updates

    def add_photo(self, pet_id: str, photo: dict[str, Any], max_photos: int, now: str) -> Pet:
        """One UpdateItem: the photo goes last, the version goes up; refused unless the pet exists, has fewer than
        `max_photos` and not this one (so concurrent uploads never overwrite each other, and a retried event is a
        no-op)."""
        stored = {name: photo.get(name) for name in STORED_PHOTO_FIELDS}
        try:
            response = _guard(
                self.ddb.update_item, TableName=self._table, Key={"id": {"S": pet_id}},
                UpdateExpression="SET #photos = list_append(if_not_exists(#photos, :none), :photo), "
                                 "#version = #version + :one, #updated = :now ADD #ids :id",
                ConditionExpression="attribute_exists(#name) AND NOT contains(#ids, :photo_id) "
                                    "AND (attribute_not_exists(#photos) OR size(#photos) < :max)",
                ExpressionAttributeNames={"#photos": "photos", "#ids": "photo_ids", "#version": "version",
                                          "#updated": "updated_at", "#name": "name"},
                ExpressionAttributeValues={":none": {"L": []}, ":photo": {"L": [to_attr(stored)]}, ":one": {"N": "1"},
                                           ":now": {"S": now}, ":id": {"SS": [stored["id"]]},
                                           ":photo_id": {"S": stored["id"]}, ":max": {"N": str(max_photos)}},
                ReturnValues="ALL_NEW",
            )
        except Exception as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            current = self.get(pet_id)
            if current is None:
                raise PhotoNotAdded("missing") from exc
            if any(existing.id == stored["id"] for existing in current.photos):
                raise PhotoNotAdded("present") from exc
            raise PhotoNotAdded("full") from exc
        return pet_from_item(response["Attributes"])

    @staticmethod
    def _at_version(current: Pet) -> dict[str, Any]:
        return {
            "ConditionExpression": "#version = :version",
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":version": {"N": str(current.version)}},
        }

    def _transact(self, writes: list[dict[str, Any]], changes: dict[tuple[str, str, str], int],
                  holders: list[dict[str, Any]] | None = None) -> None:
        """Write the pet (and its holders' items) and add the count deltas to one shard; PetChanged when the pet's
        condition fails, HolderLimitReached when a new holder's does."""
        writes = writes + (holders or [])
        if not changes and len(writes) == 1:
            # Nothing counted changes (a new price, say): one conditional write, at half a transaction's cost.
            (operation, request), = writes[0].items()
            call = self.ddb.put_item if operation == "Put" else self.ddb.delete_item
            try:
                _guard(call, **request)
            except Exception as exc:
                if error_code(exc) == "ConditionalCheckFailedException":
                    raise PetChanged() from exc
                raise
            return
        for attempt in range(TRANSACTION_ATTEMPTS):
            items = list(writes)
            if changes:
                names = {"#rev": REVISION_ATTR}
                values: dict[str, Any] = {":one": {"N": "1"}}
                adds = ["#rev :one"]
                for i, (combo, delta) in enumerate(sorted(changes.items())):
                    names[f"#c{i}"] = combo_attr(combo)
                    values[f":d{i}"] = {"N": str(delta)}
                    adds.append(f"#c{i} :d{i}")
                shard = secrets.randbelow(COUNT_SHARDS)  # no PRNG state: containers restored from one snapshot differ
                items.append({"Update": {
                    "TableName": self._table, "Key": {"id": {"S": counts_ids()[shard]}},
                    "UpdateExpression": "ADD " + ", ".join(adds),
                    "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                }})
            try:
                _guard(self.ddb.transact_write_items, TransactItems=items)
                return
            except Throttled:
                raise
            except Exception as exc:
                code = error_code(exc)
                reasons = [str(r.get("Code")) for r in (getattr(exc, "response", {}) or {}).get("CancellationReasons", [])]
                if code == "TransactionCanceledException" and reasons and reasons[0] == "ConditionalCheckFailed":
                    raise PetChanged() from exc
                if code == "TransactionCanceledException" and "ConditionalCheckFailed" in reasons[1:len(writes)]:
                    raise HolderLimitReached() from exc
                if code == "TransactionCanceledException" and _THROTTLED_IN_TRANSACTION & set(reasons):
                    raise Throttled("The store is busy; retry shortly.", retry_after=1) from exc
                retryable = code == "TransactionInProgressException" or (
                    code == "TransactionCanceledException" and "TransactionConflict" in reasons)
                if not retryable or attempt == TRANSACTION_ATTEMPTS - 1:
                    if retryable:
                        raise Throttled("The store is busy; retry shortly.", retry_after=1) from exc
                    raise
                time.sleep((0.01 + secrets.randbelow(40) / 1000) * (attempt + 1))

    # -- counts -----------------------------------------------------------------------------------

    def counts(self, reads: Reads) -> StoreCounts:
        """The store's counts, read once per request (one BatchGetItem, strongly consistent)."""
        cached = reads.memo.get("counts")
        if cached is not None:
            return cached
        keys = [{"id": {"S": shard}} for shard in counts_ids()]
        items: list[dict[str, Any]] = []
        request = {self._table: {"Keys": keys, "ConsistentRead": True}}
        reads.spend(len(keys))
        for _ in range(3):
            response = _guard(self.ddb.batch_get_item, RequestItems=request)
            items += response.get("Responses", {}).get(self._table, [])
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise Throttled("The store is busy; retry shortly.", retry_after=1)
        counts = StoreCounts.from_items(items)
        reads.memo["counts"] = counts
        return counts

    # -- reservations -----------------------------------------------------------------------------

    def reservations_due(self, moment: str, limit: int, reads: Reads) -> DueReservations:
        """Pets whose reservation lapsed at `moment` (at most `limit`), from the sparse expiry index, earliest first."""
        ids: list[str] = []
        upcoming: list[str] = []
        more = False
        bound = lapsed_by(moment)
        for partition in reservation_partitions():
            response = _guard(self.ddb.query, TableName=self._table, IndexName=EXPIRY_INDEX,
                              KeyConditionExpression="#p = :p", ExpressionAttributeNames={"#p": "reservation_shard"},
                              ExpressionAttributeValues={":p": {"S": partition}}, Limit=limit + 1)
            reads.spend(response.get("ScannedCount", 0))
            for item in response.get("Items", []):
                key = item["reserved_until"]["S"]
                if key <= bound:
                    ids.append(item["id"]["S"])
                else:
                    upcoming.append(key.rsplit("#", 1)[0])
                    break
            more = more or len(ids) > limit
        return DueReservations(ids[:limit], min(upcoming) if upcoming else None, more)

    def held_by(self, holder_id: str, limit: int, reads: Reads) -> list[Pet]:
        """The pets `holder_id` holds (their item names them; the pets are read by key), soonest to lapse first."""
        response = _guard(self.ddb.get_item, TableName=self._table, Key={"id": {"S": holder_item_id(holder_id)}},
                          ConsistentRead=True)
        reads.spend(1)
        ids = sorted((response.get("Item") or {}).get("pets", {}).get("SS", []))[:limit]
        pets = self.get_many(ids, reads) if ids else []
        return sorted(pets, key=lambda pet: (pet.reservation.expires_at if pet.reservation else "", pet.id))

    def get_many(self, ids: list[str], reads: Reads) -> list[Pet]:
        """Pets by id (strongly consistent, one BatchGetItem per hundred); absent ones are left out."""
        pets: list[Pet] = []
        for start in range(0, len(ids), 100):
            request = {self._table: {"Keys": [{"id": {"S": pet_id}} for pet_id in ids[start:start + 100]],
                                     "ConsistentRead": True}}
            reads.spend(len(request[self._table]["Keys"]))
            for _ in range(3):
                response = _guard(self.ddb.batch_get_item, RequestItems=request)
                pets += [pet_from_item(item) for item in response.get("Responses", {}).get(self._table, [])
                         if "name" in item]
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
            else:
                raise Throttled("The store is busy; retry shortly.", retry_after=1)
        return pets

    # -- reads ------------------------------------------------------------------------------------

    def search(self, pet_filter: PetFilter, page_size: int, after_position: str | None, reads: Reads, *,
               text: str | None = None, returned_before: int = 0, count: bool = True, probe: bool = True) -> SearchPage:
        counts = self.counts(reads)
        search = make_search(pet_filter, text, counts)
        chosen = plan(search, counts, reads.remaining)
        if not probe:  # an earlier page found the ranges too wide: walk at once
            chosen = chosen._replace(probes=())
        if after_position is not None and not POSITIONS[chosen.sort_attr].match(after_position):
            raise BadRequest("The cursor does not belong to this search: send the same filters as the first page.")
        page = self._execute(chosen, page_size, after_position, reads, returned_before, count and chosen.exact_total is None)
        if chosen.exact_total is not None:
            page = page.with_total(chosen.exact_total, capped=False)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("search plan", extra={"plan": chosen.describe(), "answered_by": page.answered_by,
                                               "items_read": reads.used, "more_to_search": page.more_to_search})
        return page

    def _execute(self, chosen: Plan, page_size: int, position: str | None, reads: Reads,
                 returned_before: int, count: bool) -> SearchPage:
        if chosen.walk is None:
            return SearchPage([], None, reads.used, total=0, answered_by="nothing to read")
        share = probe_budget(chosen, reads.remaining)
        for probe in chosen.probes:
            found = self._probe(chosen, probe, page_size, position, reads, share)
            if found is not None:
                return found
        page = self._walk(chosen, chosen.walk, page_size, position, reads, returned_before, count)
        return page._replace(probes_failed=bool(chosen.probes))

    def _query_kwargs(self, chosen: Plan, source: Source, low: str, high: str, descending: bool) -> dict[str, Any]:
        names = {"#pk": source.index.partition_attr, "#sk": source.index.sort_attr}
        values: dict[str, Any] = {":pk": {"S": source.partition}, ":low": {"S": low}, ":high": {"S": high}}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": source.index.name,
            "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :low AND :high",
            "ScanIndexForward": not descending,
        }
        residual = _residual(chosen, source, names, values)
        if residual:
            kwargs["FilterExpression"] = residual
        kwargs["ExpressionAttributeNames"] = names
        kwargs["ExpressionAttributeValues"] = values
        return kwargs

    def _probe(self, chosen: Plan, probe: Candidate, page_size: int, position: str | None, reads: Reads,
               allowance: int) -> SearchPage | None:
        """Read a narrow range whole and sort it in memory; None when it does not fit its allowance."""
        started = reads.used
        found: dict[str, dict[str, Any]] = {}
        pending = [self._query_kwargs(chosen, source, source.low, source.high, False) for source in probe.sources]
        while pending:
            left = min(allowance - (reads.used - started), reads.remaining)
            if left < len(pending):
                return None
            share = left // len(pending)
            responses = _in_parallel([functools.partial(_guard, self.ddb.query, **kwargs, Limit=share) for kwargs in pending])
            still = []
            for kwargs, response in zip(pending, responses):
                reads.spend(response.get("ScannedCount", 0))
                for item in response.get("Items", []):
                    found[item["id"]["S"]] = item
                if response.get("LastEvaluatedKey"):
                    kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
                    still.append(kwargs)
            pending = still
        key = f"{chosen.sort_attr}_sk"
        ordered = sorted(found.values(), key=lambda item: item[key]["S"], reverse=chosen.descending)
        total = len(ordered)
        if position is not None:
            ordered = [item for item in ordered if _beyond(item[key]["S"], position, chosen.descending)]
        page = ordered[:page_size]
        more = len(ordered) > page_size
        return SearchPage([pet_from_item(item) for item in page], page[-1][key]["S"] if more else None, reads.used,
                          total=total, answered_by=probe.why)

    def _walk(self, chosen: Plan, walk: Candidate, page_size: int, position: str | None, reads: Reads,
              returned_before: int, count: bool) -> SearchPage:
        streams = [_Stream(self, chosen, source, position, chosen.descending) for source in walk.sources]
        if reads.remaining < sum(not s.done for s in streams):
            raise ValueError("the read budget is smaller than the partitions a search merges")
        merge = _Merge(streams, reads, chosen.descending)
        want = page_size + 1  # one more than the page, to know whether another page follows
        out: list[dict[str, Any]] = []
        while len(out) < want and (item := merge.next(want - len(out))) is not None:
            out.append(item)
        key = f"{chosen.sort_attr}_sk"
        if len(out) > page_size:
            page = out[:page_size]
            total, capped = None, False
            if count:
                counted, exhausted = merge.count(COUNT_CAP - returned_before - len(out), union=len({s.index.name for s in walk.sources}) > 1)
                total, capped = returned_before + len(out) + counted, not exhausted
            return SearchPage([pet_from_item(i) for i in page], page[-1][key]["S"], reads.used,
                              total=total, total_capped=capped, answered_by=walk.why)
        if merge.exhausted:
            return SearchPage([pet_from_item(i) for i in out], None, reads.used, total=returned_before + len(out),
                              answered_by=walk.why)
        # The budget ran out first: everything up to the frontier has been read, so the next page starts there.
        frontier = merge.frontier()
        frontier = position if frontier is None or frontier is _UNREAD else frontier
        return SearchPage([pet_from_item(i) for i in out], frontier, reads.used, more_to_search=len(out) < page_size,
                          answered_by=walk.why)


class _Merge:
    """The sources' pets in the result's order, each once, read a chunk at a time within the budget."""

    def __init__(self, streams: list[_Stream], reads: Reads, descending: bool) -> None:
        self.streams = streams
        self.reads = reads
        self.descending = descending
        self.stopped = False  # the budget ran out
        self._last: str | None = None
        self._weight = sum(s.source.weight for s in streams) or 1.0

    @property
    def exhausted(self) -> bool:
        return not self.stopped and all(s.done and not s.buffer for s in self.streams)

    def frontier(self) -> Any:
        return _frontier(self.streams, self.descending)

    def next(self, need: int) -> dict[str, Any] | None:
        """The next pet; None when every source is done, or when the budget ran out (`stopped`)."""
        while True:
            heads = [s for s in self.streams if s.buffer]
            head = min(heads, key=lambda s: _order(s.buffer[0][s.key]["S"], self.descending), default=None)
            if head is not None and _final(head.buffer[0][head.key]["S"], self.frontier(), self.descending):
                item = head.buffer.popleft()
                key = item[head.key]["S"]
                if key == self._last:  # the same pet through two sources
                    continue
                self._last = key
                return item
            lagging = [s for s in self.streams if not s.done]
            if not lagging:
                return None
            if self.reads.remaining <= 0:
                self.stopped = True
                return None
            unread = [s for s in lagging if s.frontier is None]
            if len(unread) > 1:  # the first read of every source, at once
                self._round(unread, need)
                continue
            # The source read least far goes next: nothing is final until every source has passed it.
            lag = min(lagging, key=lambda s: (s.frontier is not None, _order(s.frontier or "", self.descending)))
            lag.fetch(self._chunk(lag, need), self.reads)

    def _chunk(self, stream: _Stream, need: int) -> int:
        # A little more than the source's expected share: one round trip saved is worth a few items read.
        expected = need * stream.source.weight / self._weight / stream.selectivity()
        return min(max(2, math.ceil(expected * CHUNK_SLACK) + 1), self.reads.remaining)

    def _limits(self, streams: list[_Stream], need: int) -> list[int]:
        """Each source's share of `need`, scaled down to fit the budget (at least one item each)."""
        wanted = [self._chunk(s, need) for s in streams]
        room = self.reads.remaining
        if sum(wanted) > room:
            wanted = [max(1, n * room // sum(wanted)) for n in wanted]
            while sum(wanted) > room:
                wanted[wanted.index(max(wanted))] -= 1
        return wanted

    def _round(self, streams: list[_Stream], need: int, count: bool = False) -> int:
        """One read of each source, concurrently (DynamoDB's latency once, not once per partition)."""
        limits = self._limits(streams, need)
        responses = _in_parallel([functools.partial(s.request, limit, count) for s, limit in zip(streams, limits)])
        return sum(s.absorb(response, self.reads) for s, response in zip(streams, responses))

    def count(self, up_to: int, union: bool) -> tuple[int, bool]:
        """Count further matches, until `up_to` or the budget; returns (counted, whether that was all)."""
        counted = 0
        if union:  # sources may share pets: count them in order, once each
            while counted < up_to and self.next(up_to - counted) is not None:
                counted += 1
            return counted, self.exhausted
        counted = sum(len(s.buffer) for s in self.streams)
        for s in self.streams:
            s.buffer.clear()
        while counted < up_to and self.reads.remaining > 0:
            open_streams = [s for s in self.streams if not s.done][: self.reads.remaining]
            if not open_streams:
                break
            counted += self._round(open_streams, up_to - counted, count=True)
        return counted, all(s.done for s in self.streams)


class _Stream:
    """One source read in order, a chunk at a time; `frontier` is the last key DynamoDB evaluated."""

    def __init__(self, repo: DynamoPetRepository, chosen: Plan, source: Source, position: str | None, descending: bool) -> None:
        self.repo = repo
        self.source = source
        self.key = source.index.sort_attr
        low, high = (source.low, source.high) if position is None else after(source.low, source.high, position, descending)
        self.kwargs = repo._query_kwargs(chosen, source, low, high, descending)
        self.buffer: deque[dict[str, Any]] = deque()
        self.frontier: str | None = None
        self.done = low > high
        self.read = 0
        self.matched = 0
        self.estimate = (chosen.selectivity or {}).get(source.partition, 1.0) if source.index.scope != "status" else 1.0

    def selectivity(self) -> float:
        share = (self.matched + 1) / (self.read + 1) if self.read else self.estimate
        return max(share, 1 / 32)

    def request(self, limit: int, count: bool = False) -> dict[str, Any]:
        """The next `limit` items (only how many match, with `count`); the caller absorbs the answer."""
        return _guard(self.repo.ddb.query, **self.kwargs, Limit=limit, **({"Select": "COUNT"} if count else {}))

    def absorb(self, response: dict[str, Any], reads: Reads) -> int:
        """Take in an answer of `request`; returns how many items matched."""
        scanned = response.get("ScannedCount", 0)
        reads.spend(scanned)
        items = response.get("Items", [])
        matched = int(response.get("Count", len(items)))
        self.read += scanned
        self.matched += matched
        self.buffer.extend(items)
        self._advance(response)
        return matched

    def fetch(self, limit: int, reads: Reads) -> None:
        self.absorb(self.request(limit), reads)

    def _advance(self, response: dict[str, Any]) -> None:
        last = response.get("LastEvaluatedKey")
        if last:
            self.frontier = last[self.key]["S"]
            self.kwargs["ExclusiveStartKey"] = last
        else:
            self.done = True


_POOL: Any = None
_POOL_LOCK = threading.Lock()


def _in_parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    global _POOL
    if len(calls) == 1:
        return [calls[0]()]
    with _POOL_LOCK:
        if _POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dynamodb")
    return list(_POOL.map(lambda call: call(), calls))


def _order(key: str, descending: bool) -> Any:
    return _Reversed(key) if descending else key


class _Reversed:
    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __lt__(self, other: _Reversed) -> bool:
        return self.key > other.key


def _final(key: str, frontier: Any, descending: bool) -> bool:
    """Whether no source can still yield a key before `key`: every open source has been read past it."""
    return frontier is None or (frontier is not _UNREAD and not _beyond(key, frontier, descending))


def _beyond(key: str, position: str, descending: bool) -> bool:
    """Whether `key` comes strictly after `position` in the walk's direction."""
    return key < position if descending else key > position


_UNREAD = object()


def _frontier(streams: list[_Stream], descending: bool) -> Any:
    """The key up to which every source has been read: None when all are done, _UNREAD when one has not started."""
    open_streams = [s for s in streams if not s.done]
    if not open_streams:
        return None
    if any(s.frontier is None for s in open_streams):
        return _UNREAD
    keys = [s.frontier for s in open_streams if s.frontier is not None]
    return max(keys) if descending else min(keys)


def _residual(chosen: Plan, source: Source, names: dict[str, str], values: dict[str, Any]) -> str:
    """The filter expression for what the source's partition and key range do not already guarantee."""
    search: Search = chosen.search
    f = search.pet_filter
    terms: list[str] = []
    for part in sorted(chosen.parts - source.guarantees):
        if part == "type":
            names["#type"] = "type"
            holders = []
            for i, pet_type in enumerate(f.type or []):
                values[f":type{i}"] = {"S": pet_type}
                holders.append(f":type{i}")
            terms.append(f"#type IN ({', '.join(holders)})")
        elif part == "breed":
            names["#breed_key"] = "breed_key"
            values[":breed"] = {"S": breed_key(f.breed or "")}
            terms.append("#breed_key = :breed")
        elif part == "status":
            names["#status"] = "status"
            values[":status"] = {"S": f.status.value if f.status else ""}
            terms.append("#status = :status")
        elif part in ("price", "age"):
            lo, hi = numeric_range(f, part)  # type: ignore[arg-type]
            names[f"#{part}"] = part
            values[f":{part}_lo"] = {"N": str(Decimal(lo) / 100)}
            values[f":{part}_hi"] = {"N": str(Decimal(hi) / 100)}
            terms.append(f"#{part} BETWEEN :{part}_lo AND :{part}_hi")
        elif part == "text":
            names["#name_key"] = "name_key"
            values[":text"] = {"S": search.text or ""}
            term = "begins_with(#name_key, :text)"
            if search.text_breeds and source.index.scope != "breed":
                names["#breed_key"] = "breed_key"
                holders = []
                for i, key in enumerate(sorted(search.text_breeds)):
                    values[f":tb{i}"] = {"S": key}
                    holders.append(f":tb{i}")
                term = f"({term} OR #breed_key IN ({', '.join(holders)}))"
            terms.append(term)
        elif part in ("sex", "size"):
            names[f"#{part}"] = part
            values[f":{part}"] = {"S": getattr(f, part).value}
            terms.append(f"#{part} = :{part}")
        elif part.startswith("good_with_"):
            member = part.removeprefix("good_with_")
            names["#good_with"], names[f"#gw_{member}"] = "good_with", member
            values[f":gw_{member}"] = {"BOOL": bool(getattr(f, part))}
            terms.append(f"#good_with.#gw_{member} = :gw_{member}")
    return " AND ".join(terms)


class DynamoSessionStore(_Table):
    """The previous filter of each conversation, kept 24 hours (DynamoDB TTL on `expires_at`).

    Keyed by owner and session id, so one user can never read or overwrite another's conversation.
    """

    def __init__(self, table_name: str, dynamodb: Any | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(table_name, dynamodb)
        self._clock = clock

    def load(self, session_id: str, owner: str) -> PetFilter | None:
        key = {"session_id": {"S": f"{owner}#{session_id}"}}
        response = _guard(self.ddb.get_item, TableName=self._table, Key=key, ConsistentRead=True)
        item = response.get("Item")
        if not item:
            return None
        if int(item.get("expires_at", {}).get("N", "0")) < self._clock():
            return None  # TTL deletion lags; an expired session is gone for us
        return PetFilter.model_validate(json.loads(item["filter"]["S"]))

    def save(self, session_id: str, owner: str, pet_filter: PetFilter) -> None:
        _guard(
            self.ddb.put_item,
            TableName=self._table,
            Item={
                "session_id": {"S": f"{owner}#{session_id}"},
                "filter": {"S": pet_filter.model_dump_json(exclude_defaults=True)},
                "expires_at": {"N": str(int(self._clock()) + SESSION_TTL_SECONDS)},
            },
        )
