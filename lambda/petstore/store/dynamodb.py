"""DynamoDB adapters for the pet repository and the conversation sessions."""

from __future__ import annotations

import heapq
import json
import time
from decimal import Decimal
from typing import Any, Callable

from ..errors import BadRequest, NotFound, PreconditionFailed, Throttled
from ..models import Pet, PetFilter
from .aws import THROTTLING_CODES, client, error_code
from .keys import (
    AGE_DIGITS,
    ALL_PARTITION,
    POSITION_RE,
    PRICE_DIGITS,
    IndexPlan,
    after_position,
    age_sk,
    inclusive_hundredths,
    plan_for,
    price_sk,
)
from .ports import SearchPage

PET_FIELDS = ("id", "name", "type", "breed", "age", "price", "status", "created_at", "updated_at", "version")
SESSION_TTL_SECONDS = 24 * 3600


def _to_attr(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float, Decimal)):
        return {"N": str(Decimal(str(value)))}
    return {"S": str(value)}


def _from_attr(attr: dict[str, Any]) -> Any:
    if "N" in attr:
        number = Decimal(attr["N"])
        return int(number) if number == number.to_integral_value() else float(number)
    if "S" in attr:
        return attr["S"]
    if "BOOL" in attr:
        return attr["BOOL"]
    return None


def pet_item(pet: Pet) -> dict[str, Any]:
    """The full DynamoDB item for a pet: its fields plus the derived index keys."""
    data = pet.model_dump(mode="json")
    item = {name: _to_attr(value) for name, value in data.items() if value is not None}
    item.update(_derived(data["id"], data))
    return item


def _derived(pet_id: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    derived: dict[str, dict[str, Any]] = {"all_key": {"S": ALL_PARTITION}}
    if "price" in data:
        derived["price_sk"] = {"S": price_sk(data["price"], pet_id)}
    if "age" in data:
        derived["age_sk"] = {"S": age_sk(data["age"], pet_id)}
    if data.get("breed"):
        derived["breed_key"] = {"S": str(data["breed"]).lower()}
    return derived


def pet_from_item(item: dict[str, Any]) -> Pet:
    return Pet.model_validate({name: _from_attr(item[name]) for name in PET_FIELDS if name in item})


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
        return pet_from_item(item) if item else None

    def insert(self, pet: Pet) -> None:
        _guard(
            self.ddb.put_item,
            TableName=self._table,
            Item=pet_item(pet),
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": "id"},
        )

    def update(self, pet_id: str, changes: dict[str, Any], expected_version: int | None, updated_at: str) -> Pet:
        names = {"#id": "id", "#version": "version", "#updated_at": "updated_at"}
        values: dict[str, Any] = {":one": {"N": "1"}, ":updated_at": {"S": updated_at}}
        sets = ["#version = #version + :one", "#updated_at = :updated_at"]
        removes: list[str] = []
        fields = {k: v for k, v in changes.items() if k in PET_FIELDS}
        assignments = {k: _to_attr(v) for k, v in fields.items() if v is not None}
        assignments.update(_derived(pet_id, {k: v for k, v in fields.items() if v is not None}))
        assignments.pop("all_key", None)
        for i, (name, attr) in enumerate(sorted(assignments.items())):
            names[f"#f{i}"] = name
            values[f":v{i}"] = attr
            sets.append(f"#f{i} = :v{i}")
        if "breed" in fields and fields["breed"] is None:
            names["#breed"], names["#breed_key"] = "breed", "breed_key"
            removes += ["#breed", "#breed_key"]
        condition = "attribute_exists(#id)"
        if expected_version is not None:
            condition += " AND #version = :expected"
            values[":expected"] = {"N": str(expected_version)}
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        try:
            response = _guard(
                self.ddb.update_item,
                TableName=self._table,
                Key={"id": {"S": pet_id}},
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except Exception as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                self._raise_missing_or_changed(pet_id, expected_version)
            raise
        return pet_from_item(response["Attributes"])

    def delete(self, pet_id: str, expected_version: int | None) -> None:
        names = {"#id": "id"}
        values: dict[str, Any] = {}
        condition = "attribute_exists(#id)"
        if expected_version is not None:
            names["#version"] = "version"
            values[":expected"] = {"N": str(expected_version)}
            condition += " AND #version = :expected"
        kwargs: dict[str, Any] = {"ExpressionAttributeValues": values} if values else {}
        try:
            _guard(
                self.ddb.delete_item,
                TableName=self._table,
                Key={"id": {"S": pet_id}},
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                **kwargs,
            )
        except Exception as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                self._raise_missing_or_changed(pet_id, expected_version)
            raise

    def _raise_missing_or_changed(self, pet_id: str, expected_version: int | None) -> None:
        current = self.get(pet_id)
        if current is None:
            raise NotFound(f"No pet with id {pet_id}.")
        raise PreconditionFailed(
            f"Pet {pet_id} is at version {current.version}, not {expected_version}: it changed meanwhile.",
            current_version=current.version,
        )

    # -- reads ------------------------------------------------------------------------------------

    def search(self, pet_filter: PetFilter, page_size: int, after: str | None) -> SearchPage:
        if after is not None and not POSITION_RE.match(after):
            raise BadRequest("The cursor is not valid.")
        plan = plan_for(pet_filter)
        if plan is None:
            return self._scan(pet_filter, page_size, after)
        return self._query(plan, pet_filter, page_size, after)

    def _query(self, plan: IndexPlan, f: PetFilter, page_size: int, after: str | None) -> SearchPage:
        low, high = plan.low, plan.high
        if after is not None:
            if len(after) != len(plan.low) + 37:
                raise BadRequest("The cursor does not belong to this search.")
            low, high = after_position(plan, after)
        if low > high:
            return SearchPage([], None, 0)
        names = {"#pk": plan.index.partition_attr, "#sk": plan.index.sort_attr}
        values: dict[str, Any] = {":low": {"S": low}, ":high": {"S": high}}
        filters = _residual_filters(f, plan, names, values)
        want = page_size + 1
        read = 0
        streams = []
        for partition in plan.partitions:
            items, scanned = self._query_partition(plan, partition, names, dict(values), filters, want)
            read += scanned
            streams.append(items)
        key = plan.index.sort_attr
        merged = heapq.merge(*streams, key=lambda item: item[key]["S"], reverse=plan.descending)
        items = [item for _, item in zip(range(want), merged)]
        return self._page(items, page_size, read, lambda item: item[key]["S"])

    def _query_partition(
        self, plan: IndexPlan, partition: str, names: dict[str, str], values: dict[str, Any], filters: list[str], want: int
    ) -> tuple[list[dict[str, Any]], int]:
        values[":pk"] = {"S": partition}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": plan.index.name,
            "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :low AND :high",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not plan.descending,
        }
        if filters:
            kwargs["FilterExpression"] = " AND ".join(filters)
        items: list[dict[str, Any]] = []
        scanned = 0
        while True:
            # Without a filter expression every item read is returned, so read exactly what is wanted.
            kwargs["Limit"] = want - len(items) if not filters else want
            response = _guard(self.ddb.query, **kwargs)
            scanned += response.get("ScannedCount", 0)
            items.extend(response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if len(items) >= want or not last:
                return items[:want], scanned
            kwargs["ExclusiveStartKey"] = last

    def _scan(self, f: PetFilter, page_size: int, after: str | None) -> SearchPage:
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        kwargs: dict[str, Any] = {"TableName": self._table}
        if f.status is not None:
            names["#status"] = "status"
            values[":status"] = {"S": f.status.value}
            kwargs["FilterExpression"] = "#status = :status"
            kwargs["ExpressionAttributeNames"] = names
            kwargs["ExpressionAttributeValues"] = values
        if after is not None:
            if len(after) != 36:
                raise BadRequest("The cursor does not belong to this search.")
            kwargs["ExclusiveStartKey"] = {"id": {"S": after}}
        want = page_size + 1
        items: list[dict[str, Any]] = []
        read = 0
        while True:
            kwargs["Limit"] = want - len(items) if f.status is None else want
            response = _guard(self.ddb.scan, **kwargs)
            read += response.get("ScannedCount", 0)
            items.extend(response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if len(items) >= want or not last:
                break
            kwargs["ExclusiveStartKey"] = last
        return self._page(items[:want], page_size, read, lambda item: item["id"]["S"])

    @staticmethod
    def _page(items: list[dict[str, Any]], page_size: int, read: int, position: Callable[[dict[str, Any]], str]) -> SearchPage:
        has_more = len(items) > page_size
        items = items[:page_size]
        next_position = position(items[-1]) if has_more and items else None
        return SearchPage([pet_from_item(item) for item in items], next_position, read)

    def type_breed_pairs(self) -> list[tuple[str, str | None]]:
        pairs: set[tuple[str, str | None]] = set()
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "ProjectionExpression": "#type, #breed",
            "ExpressionAttributeNames": {"#type": "type", "#breed": "breed"},
        }
        while True:
            response = _guard(self.ddb.scan, **kwargs)
            for item in response.get("Items", []):
                if "type" in item:
                    pairs.add((item["type"]["S"], item.get("breed", {}).get("S")))
            if not response.get("LastEvaluatedKey"):
                return sorted(pairs, key=lambda p: (p[0], p[1] or ""))
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _residual_filters(f: PetFilter, plan: IndexPlan, names: dict[str, str], values: dict[str, Any]) -> list[str]:
    """Filter-expression terms for what the key range does not already enforce."""
    terms: list[str] = []

    def bounds(attr: str, low: float | None, low_strict: bool, high: float | None, high_strict: bool, digits: int) -> None:
        # Stored values have at most 2 decimals, so the bounds become whole hundredths (never 1E-200).
        lo, hi = inclusive_hundredths(low, low_strict, high, high_strict, digits)
        names[f"#{attr}"] = attr
        if low is not None:
            values[f":{attr}_lo"] = {"N": str(Decimal(lo) / 100)}
            terms.append(f"#{attr} >= :{attr}_lo")
        if high is not None:
            values[f":{attr}_hi"] = {"N": str(Decimal(hi) / 100)}
            terms.append(f"#{attr} <= :{attr}_hi")

    if plan.residual_price:
        bounds("price", f.min_price, f.min_price_strict, f.max_price, f.max_price_strict, PRICE_DIGITS)
    if plan.residual_age:
        bounds("age", f.min_age, f.min_age_strict, f.max_age, f.max_age_strict, AGE_DIGITS)
    if plan.residual_type and f.type:
        names["#type"] = "type"
        placeholders = []
        for i, pet_type in enumerate(f.type):
            values[f":type{i}"] = {"S": pet_type}
            placeholders.append(f":type{i}")
        terms.append(f"#type IN ({', '.join(placeholders)})")
    if f.status is not None:
        names["#status"] = "status"
        values[":status"] = {"S": f.status.value}
        terms.append("#status = :status")
    return terms


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
