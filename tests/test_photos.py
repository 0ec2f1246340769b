"""Photos through the REST handler (real API Gateway events) and the processor (real S3 ObjectCreated events), on
moto's in-process S3 and DynamoDB: upload forms, the checks an upload must pass, recording, removal."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from tests.conftest import ADMIN_CLAIMS, ALLOWED_ORIGIN, USER_CLAIMS, Api, LambdaContext, new_pet
from tests.images import HTML, jpeg, png, webp_header

MB = 1024 * 1024


def s3() -> Any:
    return boto3.client("s3", region_name="us-east-1")


def keys(bucket: str, prefix: str = "") -> list[str]:
    return [item["Key"] for item in s3().list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def s3_event(bucket: str, key: str, size: int) -> dict[str, Any]:
    """An S3 ObjectCreated event as S3 sends it to Lambda (keys URL-encoded)."""
    from urllib.parse import quote_plus

    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "eventName": "ObjectCreated:Post",
        "userIdentity": {"principalId": "AWS:AROAEXAMPLE:petstore-function"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
        "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "petstore-photo-uploads",
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                       "sequencer": "0055AED6DCD90281E5"},
        },
    }]}


class Photos:
    """Issue forms over the API, "upload" what S3 would store for them, deliver the event to the processor."""

    def __init__(self, api: Api, bucket: str) -> None:
        self.api = api
        self.bucket = bucket

    def issue(self, pet_id: str, content_type: str = "image/jpeg", **extra: Any) -> dict[str, Any]:
        status, body, _ = self.api.call("POST", f"/pets/{pet_id}/photos", body={"content_type": content_type, **extra})
        assert status == 201, body
        return body

    def upload(self, issued: dict[str, Any], data: bytes) -> str:
        """Store the file as S3 stores a form's upload: at the form's key, with its Content-Type and metadata."""
        fields = issued["upload"]["fields"]
        metadata = {name[len("x-amz-meta-"):]: value for name, value in fields.items() if name.startswith("x-amz-meta-")}
        s3().put_object(Bucket=self.bucket, Key=fields["key"], Body=data, ContentType=fields["Content-Type"], Metadata=metadata)
        return fields["key"]

    def process(self, key: str, size: int = 0) -> list[dict[str, Any]]:
        import photo_events

        return photo_events.lambda_handler(s3_event(self.bucket, key, size), LambdaContext())["results"]

    def add(self, pet_id: str, data: bytes | None = None, content_type: str = "image/jpeg", **extra: Any) -> dict[str, Any]:
        issued = self.issue(pet_id, content_type, **extra)
        data = data if data is not None else jpeg()
        [result] = self.process(self.upload(issued, data), len(data))
        assert result["outcome"] == "added", result
        return issued["photo"]


@pytest.fixture
def photos(api: Api, aws_env: dict[str, str]) -> Photos:
    import photo_events
    from petstore.api.container import Container

    photo_events.container = Container()
    return Photos(api, aws_env["PHOTOS_BUCKET"])


def create(api: Api, **fields: Any) -> dict[str, Any]:
    status, pet, _ = api.call("POST", "/pets", body=new_pet(**fields))
    assert status == 201, pet
    return pet


def get(api: Api, pet_id: str) -> dict[str, Any]:
    status, pet, _ = api.call("GET", f"/pets/{pet_id}", claims=USER_CLAIMS)
    assert status == 200, pet
    return pet


# ---------------------------------------------------------------------- the upload form
def test_the_form_is_a_short_lived_presigned_post_with_the_type_and_size_fixed(api: Api, photos: Photos) -> None:
    pet = create(api)
    issued = photos.issue(pet["id"], "image/png")
    photo, upload = issued["photo"], issued["upload"]
    uuid.UUID(photo["id"])
    assert photo["alt"] == "Rex, a Beagle"
    assert photo["url"] == f"{ALLOWED_ORIGIN}/photos/{pet['id']}/{photo['id']}"
    fields = upload["fields"]
    assert fields["key"] == f"incoming/{pet['id']}/{photo['id']}"
    assert fields["Content-Type"] == "image/png"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256" and fields["x-amz-signature"]
    assert upload["max_bytes"] == 5 * MB
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 5 * MB] in conditions
    assert {"Content-Type": "image/png"} in conditions and {"key": fields["key"]} in conditions
    assert {"bucket": photos.bucket} in conditions
    assert "x-amz-meta-alt" not in fields  # the default alt text is made when the photo is processed
    given = photos.issue(pet["id"], "image/png", alt="Rex asleep")["upload"]["fields"]
    assert {"x-amz-meta-alt": given["x-amz-meta-alt"]} in json.loads(base64.b64decode(given["policy"]))["conditions"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(minutes=4) < expires - datetime.now(timezone.utc) <= timedelta(minutes=5, seconds=5)
    assert upload["expires_at"][:16] == expires.strftime("%Y-%m-%dT%H:%M")
    assert get(api, pet["id"])["photos"] == []  # nothing recorded before the file arrives


def test_a_custom_alt_text_travels_with_the_upload(api: Api, photos: Photos) -> None:
    pet = create(api, name="Émile", breed=None, type="cat")
    assert photos.issue(pet["id"])["photo"]["alt"] == "Émile, a cat"
    added = photos.add(pet["id"], alt="Émile asleep on a red blanket 🐾")
    [shown] = get(api, pet["id"])["photos"]
    assert shown["id"] == added["id"] and shown["alt"] == "Émile asleep on a red blanket 🐾"


@pytest.mark.parametrize("body,status,where", [
    ({"content_type": "image/gif"}, 422, "body.content_type"),
    ({"content_type": "text/html"}, 422, "body.content_type"),
    ({}, 422, "body.content_type"),
    ({"content_type": "image/jpeg", "alt": "x" * 251}, 422, "body.alt"),
    ({"content_type": "image/jpeg", "alt": "bad\u202etext"}, 422, "body.alt"),
    ({"content_type": "image/jpeg", "url": "https://example.com/x.jpg"}, 422, "body.url"),
])
def test_bad_requests_are_refused_and_change_nothing(api: Api, photos: Photos, body: dict[str, Any], status: int,
                                                     where: str) -> None:
    pet = create(api)
    code, answer, _ = api.call("POST", f"/pets/{pet['id']}/photos", body=body)
    assert code == status, answer
    assert answer["error"]["code"] == "ValidationError"
    assert where in {detail["field"] for detail in answer["error"]["details"]}
    assert keys(photos.bucket) == [] and get(api, pet["id"])["version"] == 1


def test_only_staff_add_or_remove_photos(api: Api, photos: Photos) -> None:
    pet = create(api)
    photo = photos.add(pet["id"])
    code, answer, _ = api.call("POST", f"/pets/{pet['id']}/photos", body={"content_type": "image/jpeg"}, claims=USER_CLAIMS)
    assert code == 403 and answer["error"]["code"] == "Forbidden"
    # Refused before the body is read: a shopper learns nothing about what a valid body is.
    assert api.call("POST", f"/pets/{pet['id']}/photos", body={"content_type": "nope"}, claims=USER_CLAIMS)[0] == 403
    assert api.call("DELETE", f"/pets/{pet['id']}/photos/{photo['id']}", claims=USER_CLAIMS)[0] == 403
    assert api.call("POST", f"/pets/{pet['id']}/photos", body={"content_type": "image/jpeg"}, claims=None)[0] == 401
    assert len(get(api, pet["id"])["photos"]) == 1


def test_absent_pets_and_photos_are_404(api: Api, photos: Photos) -> None:
    missing = str(uuid.uuid4())
    code, answer, _ = api.call("POST", f"/pets/{missing}/photos", body={"content_type": "image/jpeg"})
    assert code == 404 and answer["error"]["code"] == "NotFound"
    assert api.call("POST", "/pets/not-an-id/photos", body={"content_type": "image/jpeg"})[0] == 404
    pet = create(api)
    assert api.call("DELETE", f"/pets/{pet['id']}/photos/{uuid.uuid4()}")[0] == 404
    assert api.call("DELETE", f"/pets/{missing}/photos/{uuid.uuid4()}")[0] == 404
    code, _, headers = api.call("GET", f"/pets/{pet['id']}/photos")
    assert code == 405 and headers["Allow"] == "POST"


# ---------------------------------------------------------------------- processing (S3 events)
@pytest.mark.parametrize("content_type,data,size", [
    ("image/jpeg", jpeg(320, 240), (320, 240)),
    ("image/png", png(50, 20), (50, 20)),
    ("image/webp", webp_header(640, 480), (640, 480)),
])
def test_a_good_upload_appears_on_the_pet_with_its_size(api: Api, photos: Photos, content_type: str, data: bytes,
                                                        size: tuple[int, int]) -> None:
    pet = create(api)
    photo = photos.add(pet["id"], data, content_type)
    shown = get(api, pet["id"])
    assert shown["photos"] == [{"id": photo["id"], "url": photo["url"], "alt": "Rex, a Beagle",
                                "width": size[0], "height": size[1]}]
    assert shown["version"] == 2
    assert keys(photos.bucket) == [f"photos/{pet['id']}/{photo['id']}"]  # the upload itself is gone
    published = s3().head_object(Bucket=photos.bucket, Key=f"photos/{pet['id']}/{photo['id']}")
    assert published["ContentType"] == content_type and "max-age" in published["CacheControl"]
    listed = api.call("GET", "/pets", claims=USER_CLAIMS)[1]["pets"]
    assert listed[0]["photos"] == shown["photos"]  # on every read path, indexes included


@pytest.mark.parametrize("declared,data,reason", [
    ("image/jpeg", HTML, "not a JPEG, PNG or WebP"),  # an HTML file renamed .jpg
    ("image/jpeg", png(), "declared image/jpeg but is image/png"),
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "not a JPEG"),  # the magic bytes alone are not an image
    ("image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "not a JPEG"),
    ("image/jpeg", jpeg(pad_to=6 * MB), "6291"),  # over 5 MB
    ("image/jpeg", b"", "empty"),
    ("image/png", png(8000, 6000, (0, 0, 0)), "pixels"),  # a decompression bomb in a few KB
])
def test_anything_else_is_refused_and_deleted(api: Api, photos: Photos, declared: str, data: bytes, reason: str) -> None:
    pet = create(api)
    issued = photos.issue(pet["id"], declared)
    [result] = photos.process(photos.upload(issued, data), len(data))
    assert result["outcome"] == "refused" and reason in result["reason"], result
    assert keys(photos.bucket) == []
    assert get(api, pet["id"])["photos"] == [] and get(api, pet["id"])["version"] == 1


def test_a_photo_never_uploaded_never_appears_and_events_are_idempotent(api: Api, photos: Photos) -> None:
    pet = create(api)
    issued = photos.issue(pet["id"])
    assert photos.process(issued["upload"]["fields"]["key"]) == [
        {"key": issued["upload"]["fields"]["key"], "outcome": "gone", "reason": ""}]
    key = photos.upload(issued, jpeg())
    assert photos.process(key)[0]["outcome"] == "added"
    assert photos.process(key)[0]["outcome"] == "gone"  # S3 may deliver an event twice
    photos.upload(issued, jpeg())  # the same form used again within its lifetime
    assert photos.process(key)[0]["outcome"] == "already added"
    assert len(get(api, pet["id"])["photos"]) == 1 and keys(photos.bucket, "incoming/") == []


def test_other_keys_and_buckets_are_ignored(api: Api, photos: Photos) -> None:
    import photo_events

    s3().put_object(Bucket=photos.bucket, Key="incoming/readme.txt", Body=b"hello")
    assert photos.process("incoming/readme.txt")[0]["outcome"] == "ignored"
    assert photo_events.lambda_handler(s3_event("another-bucket", "incoming/x", 1), LambdaContext()) == {"results": []}
    assert photo_events.lambda_handler({"Records": [{"eventSource": "aws:sqs"}]}, LambdaContext()) == {"results": []}


def test_an_upload_for_a_pet_deleted_meanwhile_is_deleted(api: Api, photos: Photos) -> None:
    pet = create(api)
    issued = photos.issue(pet["id"])
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204
    [result] = photos.process(photos.upload(issued, jpeg()))
    assert result["outcome"] == "refused" and "no such pet" in result["reason"]
    assert keys(photos.bucket) == []


def test_a_pet_has_at_most_eight_photos(api: Api, photos: Photos) -> None:
    pet = create(api)
    late = photos.issue(pet["id"])  # issued while there was room
    for _ in range(8):
        photos.add(pet["id"])
    code, answer, _ = api.call("POST", f"/pets/{pet['id']}/photos", body={"content_type": "image/jpeg"})
    assert code == 409 and answer["error"]["max_photos"] == 8
    [result] = photos.process(photos.upload(late, jpeg()))
    assert result["outcome"] == "refused" and "8 photos" in result["reason"]
    assert len(get(api, pet["id"])["photos"]) == 8 and len(keys(photos.bucket)) == 8


def test_concurrent_uploads_are_all_recorded_in_one_write_each(api: Api, photos: Photos, monkeypatch: Any) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    # DynamoDB applies each UpdateItem to its item atomically; in-process moto does not across threads (two can
    # read the same list and each append to it). One at a time, as DynamoDB does: the uploads still race.
    one_at_a_time = threading.Lock()
    update_item = DynamoDBBackend.update_item

    def atomic_update_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        with one_at_a_time:
            return update_item(self, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "update_item", atomic_update_item)
    pet = create(api)
    uploaded = [photos.upload(photos.issue(pet["id"]), jpeg(10 + n, 10)) for n in range(6)]
    results: list[Any] = []
    threads = [threading.Thread(target=lambda key=key: results.extend(photos.process(key))) for key in uploaded]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [result["outcome"] for result in results] == ["added"] * 6
    shown = get(api, pet["id"])
    assert len(shown["photos"]) == 6 and shown["version"] == 7
    assert sorted(photo["width"] for photo in shown["photos"]) == [10, 11, 12, 13, 14, 15]


# ---------------------------------------------------------------------- removal
def test_removing_a_photo_removes_its_file(api: Api, photos: Photos) -> None:
    pet = create(api)
    first, second = photos.add(pet["id"]), photos.add(pet["id"], png(), "image/png")
    code, body, _ = api.call("DELETE", f"/pets/{pet['id']}/photos/{first['id']}")
    assert code == 204 and body is None
    shown = get(api, pet["id"])
    assert [photo["id"] for photo in shown["photos"]] == [second["id"]] and shown["version"] == 4
    assert keys(photos.bucket) == [f"photos/{pet['id']}/{second['id']}"]
    assert api.call("DELETE", f"/pets/{pet['id']}/photos/{first['id']}")[0] == 404


def test_deleting_the_pet_deletes_its_files(api: Api, photos: Photos) -> None:
    pet, other = create(api), create(api, name="Other")
    photos.add(pet["id"])
    photos.add(pet["id"])
    photos.upload(photos.issue(pet["id"]), jpeg())  # uploaded, not processed yet
    kept = photos.add(other["id"])
    assert len(keys(photos.bucket)) == 4
    assert api.call("DELETE", f"/pets/{pet['id']}")[0] == 204
    assert keys(photos.bucket) == [f"photos/{other['id']}/{kept['id']}"]


def test_an_edit_keeps_the_photos_and_default_alt_texts_follow_the_name(api: Api, photos: Photos) -> None:
    pet = create(api)
    default = photos.add(pet["id"])
    custom = photos.add(pet["id"], alt="Rex catching a ball")
    code, changed, _ = api.call("PATCH", f"/pets/{pet['id']}", body={"name": "Rexy", "breed": "Basset Hound"},
                                headers={"If-Match": '"3"'})
    assert code == 200, changed
    assert [(photo["id"], photo["alt"]) for photo in changed["photos"]] == [
        (default["id"], "Rexy, a Basset Hound"), (custom["id"], "Rex catching a ball")]
    assert get(api, pet["id"])["photos"] == changed["photos"]
    # A stale version is refused as before: photo changes are changes.
    assert api.call("PATCH", f"/pets/{pet['id']}", body={"price": 1}, headers={"If-Match": '"3"'})[0] == 412


def test_a_pet_renamed_while_its_photo_uploads_gets_the_new_name_in_its_default_alt(api: Api, photos: Photos) -> None:
    pet = create(api)
    issued = photos.issue(pet["id"])
    assert api.call("PATCH", f"/pets/{pet['id']}", body={"name": "Rexy"})[0] == 200
    data = jpeg()
    [result] = photos.process(photos.upload(issued, data), len(data))
    assert result["outcome"] == "added", result
    assert [photo["alt"] for photo in get(api, pet["id"])["photos"]] == ["Rexy, a Beagle"]
    changed = api.call("PATCH", f"/pets/{pet['id']}", body={"name": "Rover"})[1]
    assert [photo["alt"] for photo in changed["photos"]] == ["Rover, a Beagle"], "and it follows later renames"


def test_the_openapi_document_describes_the_photo_routes(api: Api) -> None:
    document = api.call("GET", "/openapi.json", claims=None)[1]
    upload = document["paths"]["/pets/{pet_id}/photos"]["post"]
    assert set(upload["responses"]) >= {"201", "403", "404", "409", "422"}
    assert "/pets/{pet_id}/photos/{photo_id}" in document["paths"]
    photo = document["components"]["schemas"]["Photo"]
    assert set(photo["properties"]) == {"id", "url", "alt", "width", "height"}
    request = document["components"]["schemas"]["PhotoUploadRequest"]
    assert request["properties"]["content_type"]
