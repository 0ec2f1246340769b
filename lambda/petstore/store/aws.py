"""Lazily created boto3 clients (a cold start pays only for the clients a request uses)."""

from __future__ import annotations

import functools
import os
from typing import Any


# Bounded retries: a throttled request answers 429 within a second or so instead of after boto's ten
# DynamoDB retries; the client (page, MCP server) retries after Retry-After.
_CONFIG: dict[str, dict[str, Any]] = {
    "dynamodb": {"retries": {"mode": "standard", "total_max_attempts": 3}, "connect_timeout": 2, "read_timeout": 5},
    # Presigned POSTs are signed with SigV4 (the only signature S3 takes in every region).
    "s3": {"signature_version": "s3v4", "retries": {"mode": "standard", "total_max_attempts": 3},
           "connect_timeout": 2, "read_timeout": 10},
}


@functools.cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    config = _CONFIG.get(service)
    return boto3.session.Session().client(service, region_name=region, config=Config(**config) if config else None)


def error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


THROTTLING_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
})
