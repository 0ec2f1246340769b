"""The photos bucket on the local stack: what S3 and CloudFront do for it in AWS, on the page's origin.

- `POST /photo-uploads` takes an upload form (a presigned S3 POST) as S3 takes it: the policy's signature, its
  expiry and every condition (bucket, key, Content-Type, size range, metadata) are checked, since moto stores any
  POST without looking at its policy. A good upload is stored in moto's bucket, answered as S3 answers (204), and
  then, as S3's event notification would, the processor of template.yaml runs with a real ObjectCreated event.
- `GET /photos/...` serves the bucket's `photos/` prefix, as the distribution's /photos/* behaviour does.

The upload path is on the page's origin, so the page's Content-Security-Policy stays 'self' locally.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

UPLOAD_PATH = "/photo-uploads"
SERVED_PREFIX = "/photos/"
MAX_FORM_BYTES = 10 * 1024 * 1024  # larger bodies are refused before they are read
_NOT_IN_POLICY = frozenset({"policy", "x-amz-signature", "file"})


class UploadRefused(Exception):
    """S3's answer to a form it does not take."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def s3_error(status: int, code: str, message: str) -> Response:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>'
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>")
    return Response(body, status=status, headers={"Content-Type": "application/xml"})


def _signing_key(secret: str, date: str, region: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def check_policy(fields: dict[str, str], size: int, bucket: str, credentials: Callable[[], tuple[str, str]],
                 now: datetime | None = None) -> None:
    """Raise UploadRefused unless S3 would take this form (`fields`, names lower-cased) with a file of `size` bytes."""
    for required in ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"):
        if not fields.get(required):
            raise UploadRefused(400, "InvalidArgument", f"Bucket POST must contain a field named '{required}'.")
    if fields["x-amz-algorithm"] != "AWS4-HMAC-SHA256":
        raise UploadRefused(400, "InvalidArgument", "Unsupported algorithm.")
    access_key, secret = credentials()
    parts = fields["x-amz-credential"].split("/")
    if len(parts) != 5 or parts[3:] != ["s3", "aws4_request"]:
        raise UploadRefused(400, "InvalidArgument", "Malformed credential.")
    if parts[0] != access_key:
        raise UploadRefused(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    expected = hmac.new(_signing_key(secret, parts[1], parts[2]), fields["policy"].encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["x-amz-signature"]):
        raise UploadRefused(403, "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the signature you provided.")
    try:
        policy = json.loads(base64.b64decode(fields["policy"], validate=True))
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
        conditions = list(policy["conditions"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UploadRefused(400, "InvalidPolicyDocument", f"Invalid Policy: {exc}") from None
    if expiration <= (now or datetime.now(timezone.utc)):
        raise UploadRefused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {**fields, "bucket": bucket}
    covered = {"bucket"}
    for condition in conditions:
        if isinstance(condition, dict):
            [(name, wanted)] = condition.items()
            condition = ["eq", f"${name}", wanted]
        operator = str(condition[0]).lower()
        if operator == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise UploadRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if size < low:
                raise UploadRefused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            continue
        name = str(condition[1]).lstrip("$").lower()
        covered.add(name)
        actual = values.get(name, "")
        if (operator == "eq" and actual != condition[2]) or (operator == "starts-with" and not actual.startswith(condition[2])):
            raise UploadRefused(403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(name for name in fields if name not in covered | _NOT_IN_POLICY and not name.startswith("x-ignore-"))
    if extra:
        raise UploadRefused(403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")


class LocalPhotos:
    """The photos bucket behind the gateway. `process` is the processor's handler (S3 events in)."""

    def __init__(self, s3: Any, bucket: str, region: str, process: Callable[[dict[str, Any]], Any],
                 credentials: Callable[[], tuple[str, str]], prefix: str = "") -> None:
        self.s3 = s3
        self.bucket = bucket
        self.region = region
        self.process = process
        self.credentials = credentials
        self.prefix = prefix  # the key prefix the processor is subscribed to (template.yaml's filter)
        self._events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._worker: threading.Thread | None = None

    # -- uploads ----------------------------------------------------------------------------------

    def upload(self, request: Request) -> Response:
        if request.method != "POST":
            return s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        if (request.content_length or 0) > MAX_FORM_BYTES:
            return s3_error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
        if not request.mimetype == "multipart/form-data":
            return s3_error(412, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data")
        upload = request.files.get("file")
        if upload is None:
            return s3_error(400, "InvalidArgument", "POST requires exactly one file upload per request.")
        data = upload.read()
        fields = {name.lower(): value for name, value in request.form.items()}
        try:
            key = self.store(fields, data)
        except UploadRefused as refused:
            return s3_error(refused.status, refused.code, refused.message)
        self.notify(key, len(data))
        status = fields.get("success_action_status")
        return Response(b"", status=int(status) if status in ("200", "201") else 204,
                        headers={"ETag": f'"{hashlib.md5(data).hexdigest()}"',  # noqa: S324 - S3's ETag, not security
                                 "Location": f"{request.host_url.rstrip('/')}{UPLOAD_PATH}/{fields['key']}"})

    def store(self, fields: dict[str, str], data: bytes) -> str:
        """Check the form as S3 does and store the file with its type and metadata; returns the key."""
        check_policy(fields, len(data), self.bucket, self.credentials)
        metadata = {name[len("x-amz-meta-"):]: value for name, value in fields.items() if name.startswith("x-amz-meta-")}
        extra = {"ContentType": fields["content-type"]} if fields.get("content-type") else {}
        self.s3.put_object(Bucket=self.bucket, Key=fields["key"], Body=data, Metadata=metadata, **extra)
        return fields["key"]

    # -- S3 event notifications -------------------------------------------------------------------

    def event(self, key: str, size: int) -> dict[str, Any]:
        """The ObjectCreated event S3 sends for a POST upload (keys URL-encoded, as S3 sends them)."""
        from urllib.parse import quote_plus

        now = datetime.now(timezone.utc)
        return {"Records": [{
            "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": self.region,
            "eventTime": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "eventName": "ObjectCreated:Post",
            "userIdentity": {"principalId": "AWS:LOCAL"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), "x-amz-id-2": uuid.uuid4().hex},
            "s3": {
                "s3SchemaVersion": "1.0", "configurationId": "local-photo-uploads",
                "bucket": {"name": self.bucket, "ownerIdentity": {"principalId": "LOCAL"}, "arn": f"arn:aws:s3:::{self.bucket}"},
                "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": uuid.uuid4().hex,
                           "sequencer": f"{int(now.timestamp() * 1e6):016X}"},
            },
        }]}

    def notify(self, key: str, size: int) -> None:
        """Deliver the event in the background, as S3 invokes a function asynchronously (the upload's answer does not
        wait for it)."""
        if not key.startswith(self.prefix):
            return
        if self._worker is None:
            self._worker = threading.Thread(target=self._deliver, name="s3-events", daemon=True)
            self._worker.start()
        self._events.put(self.event(key, size))

    def _deliver(self) -> None:
        while (event := self._events.get()) is not None:
            try:
                self.process(event)
            except Exception:  # noqa: BLE001 - a failed invocation is logged, as Lambda does
                traceback.print_exc(file=sys.stderr)

    def stop(self) -> None:
        if self._worker is not None:
            self._events.put(None)
            self._worker.join(timeout=5)
            self._worker = None

    # -- serving (the distribution's /photos/* behaviour) -----------------------------------------

    def serve(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        key = request.path.lstrip("/")
        try:
            found = self.s3.get_object(Bucket=self.bucket, Key=key)
        except Exception:  # noqa: BLE001 - missing (or unreadable) is what CloudFront passes on as S3's 403/404
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        data = found["Body"].read()
        headers = {"Content-Type": found.get("ContentType") or "application/octet-stream",
                   "Cache-Control": found.get("CacheControl") or "no-cache", "ETag": found.get("ETag", ""),
                   "X-Content-Type-Options": "nosniff"}
        return Response(b"" if request.method == "HEAD" else data, status=200, headers=headers)
