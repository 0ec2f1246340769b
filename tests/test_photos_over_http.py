"""The photo upload flow through the local stack over real sockets: the API issues a presigned POST, the file goes to
the stack's upload path (moto's S3 behind it, the policy checked as S3 checks it), the emulated S3 event runs the
processor, and the photo is served under /photos/ as the distribution serves it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from tests.images import HTML, jpeg, png
from tests.stack_fixture import StackProcess, sign_in

MB = 1024 * 1024
# Without AWS credentials the stack (and so the function signing the forms) uses these.
DUMMY_ACCESS_KEY, DUMMY_SECRET = "testing", "testing"


@pytest.fixture(scope="module")
def admin(stack: StackProcess) -> dict[str, str]:
    return {"Authorization": sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"]}


@pytest.fixture(scope="module")
def shopper(stack: StackProcess) -> dict[str, str]:
    return {"Authorization": sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"]}


@pytest.fixture
def pet(stack: StackProcess, admin: dict[str, str]) -> Any:
    created = requests.post(f"{stack.url}/pets", headers=admin, timeout=10, json={
        "name": "Pixel", "type": "dog", "breed": "Beagle", "age": 2, "price": 321.5})
    assert created.status_code == 201, created.text
    yield created.json()
    requests.delete(f"{stack.url}/pets/{created.json()['id']}", headers=admin, timeout=10)


def bucket_keys(stack: StackProcess, pet_id: str) -> list[str]:
    """What the bucket holds for a pet, asked of the emulator directly (as an operator would, with the CLI)."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=stack.emulator_url, region_name=stack.region, aws_access_key_id="testing",
                      aws_secret_access_key="testing", aws_session_token="testing")
    found = []
    for prefix in ("incoming/", "photos/"):
        found += [item["Key"] for item in s3.list_objects_v2(Bucket="petstore-local-photosbucket",
                                                                 Prefix=f"{prefix}{pet_id}/").get("Contents", [])]
    return found


def issue(stack: StackProcess, admin: dict[str, str], pet_id: str, content_type: str = "image/jpeg") -> dict[str, Any]:
    answer = requests.post(f"{stack.url}/pets/{pet_id}/photos", headers=admin, json={"content_type": content_type}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def post_form(upload: dict[str, Any], data: bytes, filename: str = "photo.jpg", fields: dict[str, str] | None = None,
              file_type: str = "image/jpeg") -> requests.Response:
    """The upload as a browser sends it: the form's fields, then the file, as multipart/form-data, no token."""
    return requests.post(upload["url"], data=fields or upload["fields"], files={"file": (filename, data, file_type)},
                         timeout=30)


def photos_of(stack: StackProcess, admin: dict[str, str], pet_id: str) -> list[dict[str, Any]]:
    answer = requests.get(f"{stack.url}/pets/{pet_id}", headers=admin, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["photos"]


def wait_for_photo(stack: StackProcess, admin: dict[str, str], pet_id: str, photo_id: str, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(photo["id"] == photo_id for photo in photos_of(stack, admin, pet_id)):
            return True
        time.sleep(0.1)
    return False


def settle(stack: StackProcess, pet_id: str, seconds: float = 10) -> None:
    """Wait until the processor has dealt with every upload of the pet (nothing left in incoming/)."""
    deadline = time.monotonic() + seconds
    while any(key.startswith("incoming/") for key in bucket_keys(stack, pet_id)):
        assert time.monotonic() < deadline, "an upload was never processed"
        time.sleep(0.1)


def test_a_good_jpeg_appears_within_seconds_and_is_served_like_the_distribution_serves_it(
        stack: StackProcess, admin: dict[str, str], pet: dict[str, Any]) -> None:
    issued = issue(stack, admin, pet["id"])
    upload = issued["upload"]
    assert upload["url"] == f"{stack.url}/photo-uploads"  # same origin: the page's CSP stays 'self'
    data = jpeg(400, 300, (200, 80, 40))
    sent = post_form(upload, data)
    assert sent.status_code == 204, sent.text  # what S3 answers a POST upload
    assert wait_for_photo(stack, admin, pet["id"], issued["photo"]["id"]), "the photo never appeared"
    [photo] = photos_of(stack, admin, pet["id"])
    assert photo == {**issued["photo"], "width": 400, "height": 300}
    assert photo["url"] == f"{stack.url}/photos/{pet['id']}/{photo['id']}"
    served = requests.get(photo["url"], timeout=10)  # no token: photos are public through the distribution
    assert served.status_code == 200 and served.content == data
    assert served.headers["Content-Type"] == "image/jpeg" and served.headers["X-Content-Type-Options"] == "nosniff"
    assert bucket_keys(stack, pet["id"]) == [f"photos/{pet['id']}/{photo['id']}"]
    # Only checked photos are served: nothing under incoming/ (or anywhere else) is reachable.
    assert requests.get(f"{stack.url}/photos/../incoming/{pet['id']}/{photo['id']}", timeout=10).status_code == 404


def test_a_6_mb_file_is_refused_by_the_form_itself(stack: StackProcess, admin: dict[str, str], pet: dict[str, Any]) -> None:
    issued = issue(stack, admin, pet["id"])
    sent = post_form(issued["upload"], jpeg(pad_to=6 * MB))
    assert sent.status_code == 400 and "<Code>EntityTooLarge</Code>" in sent.text
    time.sleep(0.5)
    assert bucket_keys(stack, pet["id"]) == [] and photos_of(stack, admin, pet["id"]) == []


def test_an_html_file_renamed_jpg_is_stored_then_refused_and_deleted(stack: StackProcess, admin: dict[str, str],
                                                                      pet: dict[str, Any]) -> None:
    issued = issue(stack, admin, pet["id"])
    sent = post_form(issued["upload"], HTML, filename="cute-dog.jpg")  # the form's type: image/jpeg, as the name says
    assert sent.status_code == 204  # S3 takes any bytes that fit the policy: the processor is what checks them
    settle(stack, pet["id"])
    assert bucket_keys(stack, pet["id"]) == [] and photos_of(stack, admin, pet["id"]) == []
    assert requests.get(issued["photo"]["url"], timeout=10).status_code == 404


def test_the_declared_type_is_fixed_by_the_form(stack: StackProcess, admin: dict[str, str], pet: dict[str, Any]) -> None:
    issued = issue(stack, admin, pet["id"], "image/png")
    changed = {**issued["upload"]["fields"], "Content-Type": "text/html"}
    sent = post_form(issued["upload"], HTML, filename="page.html", fields=changed, file_type="text/html")
    assert sent.status_code == 403 and "Policy Condition failed" in sent.text
    other_key = {**issued["upload"]["fields"], "key": f"photos/{pet['id']}/{uuid.uuid4()}"}  # straight to the public prefix
    assert post_form(issued["upload"], png(), fields=other_key).status_code == 403
    extra = {**issued["upload"]["fields"], "x-amz-meta-note": "hello"}
    assert "Extra input fields" in post_form(issued["upload"], png(), fields=extra).text
    tampered = dict(issued["upload"]["fields"])
    policy = json.loads(base64.b64decode(tampered["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if not (isinstance(c, list) and c[0] == "content-length-range")]
    tampered["policy"] = base64.b64encode(json.dumps(policy).encode()).decode()
    sent = post_form(issued["upload"], png(), fields=tampered)
    assert sent.status_code == 403 and "SignatureDoesNotMatch" in sent.text
    time.sleep(0.3)
    assert bucket_keys(stack, pet["id"]) == []


def test_an_expired_form_is_refused(stack: StackProcess, admin: dict[str, str], pet: dict[str, Any]) -> None:
    issued = issue(stack, admin, pet["id"])
    fields = dict(issued["upload"]["fields"])
    if fields["x-amz-credential"].split("/")[0] != DUMMY_ACCESS_KEY:
        pytest.skip("the stack signs with real AWS credentials here; this test re-signs a form with the dummy ones")
    policy = json.loads(base64.b64decode(fields["policy"]))
    policy["expiration"] = (datetime.now(timezone.utc) - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields["policy"] = base64.b64encode(json.dumps(policy).encode()).decode()
    _, date, region, service, _ = fields["x-amz-credential"].split("/")
    key = ("AWS4" + DUMMY_SECRET).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    fields["x-amz-signature"] = hmac.new(key, fields["policy"].encode(), hashlib.sha256).hexdigest()
    sent = post_form(issued["upload"], jpeg(), fields=fields)
    assert sent.status_code == 403 and "Policy expired" in sent.text, sent.text
    time.sleep(0.3)
    assert bucket_keys(stack, pet["id"]) == [] and photos_of(stack, admin, pet["id"]) == []


def test_shoppers_get_no_form_and_bad_types_none_either(stack: StackProcess, admin: dict[str, str],
                                                        shopper: dict[str, str], pet: dict[str, Any]) -> None:
    answer = requests.post(f"{stack.url}/pets/{pet['id']}/photos", headers=shopper, json={"content_type": "image/jpeg"},
                           timeout=10)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "Forbidden"
    answer = requests.post(f"{stack.url}/pets/{pet['id']}/photos", headers=admin, json={"content_type": "image/svg+xml"},
                           timeout=10)
    assert answer.status_code == 422
    answer = requests.post(f"{stack.url}/pets/{uuid.uuid4()}/photos", headers=admin, json={"content_type": "image/png"},
                           timeout=10)
    assert answer.status_code == 404


def test_removing_the_photo_and_then_the_pet_removes_their_files(stack: StackProcess, admin: dict[str, str],
                                                                  pet: dict[str, Any]) -> None:
    added = []
    for data, content_type in ((jpeg(), "image/jpeg"), (png(), "image/png"), (jpeg(30, 20), "image/jpeg")):
        issued = issue(stack, admin, pet["id"], content_type)
        assert post_form(issued["upload"], data, file_type=content_type).status_code == 204
        added.append(issued["photo"])
    for photo in added:
        assert wait_for_photo(stack, admin, pet["id"], photo["id"])
    first = added[0]
    assert requests.delete(f"{stack.url}/pets/{pet['id']}/photos/{first['id']}", headers=admin, timeout=10).status_code == 204
    assert requests.get(first["url"], timeout=10).status_code == 404
    assert [photo["id"] for photo in photos_of(stack, admin, pet["id"])] == [added[1]["id"], added[2]["id"]]
    assert len(bucket_keys(stack, pet["id"])) == 2
    assert requests.delete(f"{stack.url}/pets/{pet['id']}", headers=admin, timeout=10).status_code == 204
    assert bucket_keys(stack, pet["id"]) == []
    assert all(requests.get(photo["url"], timeout=10).status_code == 404 for photo in added)


def test_the_sample_inventory_has_photos(stack: StackProcess, admin: dict[str, str]) -> None:
    pets = requests.get(f"{stack.url}/pets", headers=admin, params={"page_size": 100, "q": "Goldie"}, timeout=10).json()["pets"]
    [goldie] = [pet for pet in pets if pet["name"] == "Goldie"]
    [photo] = goldie["photos"]
    assert photo["alt"] == "Goldie, a Goldfish" and (photo["width"], photo["height"]) == (480, 360)
    served = requests.get(photo["url"], timeout=10)
    assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
