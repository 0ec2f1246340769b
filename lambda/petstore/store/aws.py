"""Lazily created boto3 clients (a cold start pays only for the clients a request uses)."""

from __future__ import annotations

import functools
import os
from typing import Any


@functools.cache
def client(service: str, **config: Any) -> Any:
    import boto3
    from botocore.config import Config

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.session.Session().client(service, region_name=region, config=Config(**config) if config else None)


def error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


THROTTLING_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
})
