"""Lambda entry point of the photo processor: S3 ObjectCreated events for uploads (`incoming/<pet>/<photo>`).

Each upload is checked (size, the image type it really has against the one declared, its pixels, its pet) and then
published and recorded on its pet, or deleted. Failures to reach S3 or DynamoDB raise, so Lambda retries the event;
processing one upload twice is harmless.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from petstore.api.container import Container
from petstore.observability import logger

container = Container()


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    results = []
    bucket = container.photo_bucket
    for record in event.get("Records") or []:
        if record.get("eventSource") != "aws:s3" or not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3") or {}
        name = (s3.get("bucket") or {}).get("name")
        key = unquote_plus(str((s3.get("object") or {}).get("key", "")))  # S3 events carry keys URL-encoded
        if name != bucket:
            logger.warning("event of another bucket ignored", extra={"bucket": name})
            continue
        processed = container.photos.process(key)
        results.append({"key": key, "outcome": processed.outcome.value, "reason": processed.reason})
    return {"results": results}
