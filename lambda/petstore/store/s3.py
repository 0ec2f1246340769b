"""The S3 adapter for photo files."""

from __future__ import annotations

from typing import Any

from .aws import client, error_code
from .ports import StoredObject

_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


class S3PhotoStorage:
    """One bucket. `upload_url` is where browsers send upload forms (the bucket's regional endpoint in AWS, a path the
    local gateway proxies locally); without it, boto's own URL for the bucket."""

    def __init__(self, bucket: str, upload_url: str | None = None, s3: Any | None = None) -> None:
        self.bucket = bucket
        self.upload_url = upload_url
        self._client = s3

    @property
    def s3(self) -> Any:
        if self._client is None:
            self._client = client("s3")
        return self._client

    def upload_form(self, key: str, content_type: str, metadata: dict[str, str], max_bytes: int,
                    expires_in: int) -> tuple[str, dict[str, str]]:
        fields = {"Content-Type": content_type, **{f"x-amz-meta-{name}": value for name, value in metadata.items()}}
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        post = self.s3.generate_presigned_post(self.bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in)
        return self.upload_url or post["url"], {name: str(value) for name, value in post["fields"].items()}

    def head(self, key: str) -> StoredObject | None:
        try:
            response = self.s3.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise
        return StoredObject(int(response.get("ContentLength", 0)), str(response.get("ContentType") or ""),
                            {k.lower(): v for k, v in (response.get("Metadata") or {}).items()})

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def publish(self, source: str, target: str, content_type: str, cache_control: str) -> None:
        self.s3.copy_object(Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": source},
                            MetadataDirective="REPLACE", ContentType=content_type, CacheControl=cache_control)

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = keys[start:start + 1000]
            if batch:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})

    def delete_under(self, prefix: str) -> int:
        keys: list[str] = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys += [item["Key"] for item in page.get("Contents", [])]
        self.delete(keys)
        return len(keys)
