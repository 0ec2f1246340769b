"""DynamoDB adapter for rate-limit counters: one item per principal and window, removed by TTL."""

from __future__ import annotations

from .dynamodb import _guard, _Table


class DynamoRateCounter(_Table):
    """Counters on their own table (key `id`, TTL on `expires_at`); one atomic UpdateItem per request."""

    def increment(self, key: str, expires_at: int) -> int:
        response = _guard(
            self.ddb.update_item,
            TableName=self._table,
            Key={"id": {"S": key}},
            UpdateExpression="ADD #count :one SET #expires_at = if_not_exists(#expires_at, :expires_at)",
            ExpressionAttributeNames={"#count": "count", "#expires_at": "expires_at"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":expires_at": {"N": str(expires_at)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["count"]["N"])
