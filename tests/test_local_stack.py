"""The local stack over real sockets: sign in through Cognito's JSON API as the page does, then use the API."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from petstore_dev.stack import urlopen
from tests.stack_fixture import SignInError, StackProcess, cognito_call, sign_in

ROOT = Path(__file__).resolve().parent.parent


class Answer:
    def __init__(self, status: int, headers: Any, raw: bytes) -> None:
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def json(self) -> Any:
        return json.loads(self.raw) if self.raw else None


def http(method: str, url: str, *, token: str | None = None, body: Any = None, headers: dict[str, str] | None = None,
         data: bytes | None = None) -> Answer:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = token
    if body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=sent, method=method)
    try:
        with urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def tokens(stack: StackProcess) -> dict[str, dict[str, Any]]:
    return {role: sign_in(stack.url, user.email, user.password) for role, user in stack.users.items()}


@pytest.fixture(scope="module")
def admin_token(tokens: dict[str, dict[str, Any]]) -> str:
    return tokens["admin"]["IdToken"]


@pytest.fixture(scope="module")
def user_token(tokens: dict[str, dict[str, Any]]) -> str:
    return tokens["user"]["IdToken"]


def all_pets(stack: StackProcess, token: str, query: str = "", page_size: int = 100) -> tuple[list[dict[str, Any]], int]:
    """Every pet a listing returns, following cursors; also the number of pages."""
    pets: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = f"page_size={page_size}" + (f"&{query}" if query else "")
        if cursor:
            params += "&cursor=" + urllib.request.quote(cursor, safe="")
        answer = http("GET", f"{stack.url}/pets?{params}", token=token)
        assert answer.status == 200, answer.json
        page = answer.json
        assert len(page["pets"]) <= page_size
        pets += page["pets"]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            return pets, pages
        assert pages < 200, "the cursor never ends"


# ---------------------------------------------------------------------- signing in and public routes
def test_config_points_at_a_cognito_that_answers(stack: StackProcess) -> None:
    answer = http("GET", f"{stack.url}/config")
    assert answer.status == 200
    assert answer.json == {"region": stack.region, "userPoolId": stack.user_pool_id, "clientId": stack.client_id,
                           "cognitoEndpoint": f"{stack.url}/cognito"}
    assert http("GET", f"{stack.url}/health").json == {"status": "ok"}
    openapi = http("GET", f"{stack.url}/openapi.json")
    assert openapi.status == 200 and openapi.json["openapi"].startswith("3")


def test_sign_in_gives_tokens_for_both_demo_users(stack: StackProcess, tokens: dict[str, dict[str, Any]]) -> None:
    assert set(tokens) == {"admin", "user"}
    for result in tokens.values():
        assert {"IdToken", "AccessToken", "RefreshToken", "ExpiresIn"} <= set(result)
    assert stack.admin.email == "admin@example.com" and stack.user.email == "user@example.com"
    with pytest.raises(SignInError) as failed:
        sign_in(stack.url, stack.admin.email, "not-the-password")
    assert failed.value.code == "NotAuthorizedException"


def test_cognito_endpoint_allows_the_page_origin(stack: StackProcess) -> None:
    preflight = http("OPTIONS", stack.cognito_endpoint + "/", headers={
        "Origin": stack.url, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent"})
    assert preflight.status == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == stack.url
    assert "x-amz-target" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]

    answer = http("POST", stack.cognito_endpoint + "/", data=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
        "AuthParameters": {"USERNAME": stack.user.email, "PASSWORD": stack.user.password}}).encode(), headers={
        "Origin": stack.url, "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == stack.url
    assert "IdToken" in answer.json["AuthenticationResult"]

    failed = http("POST", stack.cognito_endpoint, data=b"{}", headers={
        "Origin": stack.url, "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
    assert failed.status == 400 and failed.headers["Access-Control-Allow-Origin"] == stack.url


def test_refresh_token_gives_new_id_token(stack: StackProcess, tokens: dict[str, dict[str, Any]]) -> None:
    refreshed = cognito_call(stack.cognito_endpoint, "InitiateAuth", {
        "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": stack.client_id,
        "AuthParameters": {"REFRESH_TOKEN": tokens["user"]["RefreshToken"]}})["AuthenticationResult"]
    assert http("GET", f"{stack.url}/pets?page_size=1", token=refreshed["IdToken"]).status == 200


def test_new_password_challenge_through_the_cognito_endpoint(stack: StackProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    for key in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(key, "127.0.0.1,localhost")

    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    admin_api = boto3.client("cognito-idp", endpoint_url=stack.emulator_url, region_name=stack.region,
                             aws_access_key_id="testing", aws_secret_access_key="testing")
    admin_api.admin_create_user(UserPoolId=stack.user_pool_id, Username=email, TemporaryPassword="Temporary-pass-1",
                                MessageAction="SUPPRESS",
                                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}])
    with pytest.raises(SignInError) as challenged:
        sign_in(stack.url, email, "Temporary-pass-1")
    assert challenged.value.code == "NEW_PASSWORD_REQUIRED"
    started = cognito_call(stack.cognito_endpoint, "InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": "Temporary-pass-1"}}, origin=stack.url)
    assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED" and started["Session"]
    answered = cognito_call(stack.cognito_endpoint, "RespondToAuthChallenge", {
        "ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": stack.client_id, "Session": started["Session"],
        "ChallengeResponses": {"USERNAME": email, "NEW_PASSWORD": "Chosen-password-2"}}, origin=stack.url)
    assert http("GET", f"{stack.url}/pets?page_size=1", token=answered["AuthenticationResult"]["IdToken"]).status == 200
    assert sign_in(stack.url, email, "Chosen-password-2")["IdToken"]


def test_cognito_admin_calls_need_a_signature(stack: StackProcess) -> None:
    answer = http("POST", stack.cognito_endpoint + "/", data=json.dumps({"UserPoolId": stack.user_pool_id}).encode(),
                  headers={"Content-Type": "application/x-amz-json-1.1",
                           "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers"})
    assert answer.status == 400 and "MissingAuthenticationToken" in answer.json["__type"]


def test_jwks_is_served_under_the_cognito_endpoint(stack: StackProcess) -> None:
    answer = http("GET", f"{stack.cognito_endpoint}/{stack.user_pool_id}/.well-known/jwks.json")
    assert answer.status == 200 and answer.json["keys"][0]["kty"] == "RSA"


# ---------------------------------------------------------------------- the API with real tokens
def test_crud_over_http(stack: StackProcess, admin_token: str, user_token: str) -> None:
    pet = {"name": "Pixel", "type": "cat", "breed": "Siamese", "age": 1.5, "price": 320.5, "status": "available"}
    created = http("POST", f"{stack.url}/pets", token=f"Bearer {admin_token}", body=pet)
    assert created.status == 201, created.json
    assert {key: created.json[key] for key in pet} == pet and created.json["version"] == 1
    assert created.headers["ETag"] == '"1"'
    pet_id = created.json["id"]

    fetched = http("GET", f"{stack.url}/pets/{pet_id}", token=user_token)
    assert fetched.status == 200 and fetched.json == created.json

    changed = http("PATCH", f"{stack.url}/pets/{pet_id}", token=admin_token, body={"price": 299}, headers={"If-Match": '"1"'})
    assert changed.status == 200 and changed.json["price"] == 299 and changed.json["version"] == 2
    stale = http("PATCH", f"{stack.url}/pets/{pet_id}", token=admin_token, body={"price": 1}, headers={"If-Match": '"1"'})
    assert stale.status == 412 and stale.json["error"]["code"] == "PreconditionFailed"

    deleted = http("DELETE", f"{stack.url}/pets/{pet_id}", token=admin_token)
    assert deleted.status == 204 and deleted.raw == b""
    assert http("GET", f"{stack.url}/pets/{pet_id}", token=admin_token).status == 404
    assert http("DELETE", f"{stack.url}/pets/{pet_id}", token=admin_token).status == 404


def test_idempotency_key_over_http(stack: StackProcess, admin_token: str) -> None:
    key = uuid.uuid4().hex
    pet = {"name": "Echo", "type": "bird", "age": 1, "price": 40}
    first = http("POST", f"{stack.url}/pets", token=admin_token, body=pet, headers={"Idempotency-Key": key})
    again = http("POST", f"{stack.url}/pets", token=admin_token, body=pet, headers={"Idempotency-Key": key})
    assert first.status == again.status == 201
    assert first.json["id"] == again.json["id"]
    assert http("DELETE", f"{stack.url}/pets/{first.json['id']}", token=admin_token).status == 204


def test_the_seed_and_pagination_with_cursors(stack: StackProcess, user_token: str) -> None:
    assert stack.seeded >= 25
    everything, _ = all_pets(stack, user_token)
    paged, pages = all_pets(stack, user_token, page_size=5)
    ids = [pet["id"] for pet in paged]
    assert len(ids) == len(set(ids)), "a pet came back on two pages"
    assert set(ids) == {pet["id"] for pet in everything}
    assert pages >= len(everything) // 5 and pages >= 5
    kinds = {pet["type"] for pet in everything}
    assert {"dog", "cat", "bird", "rabbit", "fish", "hamster", "reptile"} <= kinds
    assert {"Golden Retriever", "Maine Coon", "Holland Lop"} <= {pet["breed"] for pet in everything}
    assert {"available", "pending", "adopted"} <= {pet["status"] for pet in everything}

    sorted_pages, _ = all_pets(stack, user_token, "sort=price_asc", page_size=5)
    prices = [pet["price"] for pet in sorted_pages]
    assert prices == sorted(prices) and len(prices) == len(everything)


@pytest.mark.parametrize(("query", "keep"), [
    ("type=dog", lambda p: p["type"] == "dog"),
    ("type=dog&type=cat", lambda p: p["type"] in ("dog", "cat")),
    ("breed=Golden%20Retriever", lambda p: p["breed"] == "Golden Retriever"),
    ("min_price=100&max_price=600", lambda p: 100 <= p["price"] <= 600),
    ("min_age=1&max_age=3", lambda p: 1 <= p["age"] <= 3),
    ("status=adopted", lambda p: p["status"] == "adopted"),
    ("type=cat&max_price=600&sort=price_desc", lambda p: p["type"] == "cat" and p["price"] <= 600),
])
def test_filters(stack: StackProcess, user_token: str, query: str, keep: Any) -> None:
    everything, _ = all_pets(stack, user_token)
    found, _ = all_pets(stack, user_token, query, page_size=5)
    expected = {pet["id"] for pet in everything if keep(pet)}
    assert expected, "the seed should have pets for every filter tested"
    assert {pet["id"] for pet in found} == expected
    if "sort=price_desc" in query:
        prices = [pet["price"] for pet in found]
        assert prices == sorted(prices, reverse=True)


def test_plain_words_query(stack: StackProcess, user_token: str) -> None:
    answer = http("POST", f"{stack.url}/pets/query", token=user_token, body={"query": "dogs under $500"})
    assert answer.status == 200, answer.json
    assert answer.json["source"] == "keyword", "without AWS credentials Bedrock is never called"
    assert answer.json["pets"] and all(pet["type"] == "dog" and pet["price"] < 500 for pet in answer.json["pets"])


# ---------------------------------------------------------------------- the authorizer
def _moto_key() -> Any:
    import moto
    from joserfc.jwk import RSAKey

    path = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    with gzip.open(path, "rt") as handle:
        return RSAKey.import_key(json.load(handle))


def _claims(token: str) -> dict[str, Any]:
    from joserfc import jwt

    return dict(jwt.decode(token, _moto_key()).claims)


def _sign(claims: dict[str, Any], key: Any = None) -> str:
    from joserfc import jwt

    return jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, key or _moto_key())


def test_the_pools_own_key_signs_what_passes(stack: StackProcess, user_token: str) -> None:
    """The forged tokens below differ from a good one only where each test says."""
    assert http("GET", f"{stack.url}/pets?page_size=1", token=_sign(_claims(user_token))).status == 200
    assert http("GET", f"{stack.url}/pets?page_size=1", token=f"Bearer {user_token}").status == 200


def _assert_unauthorized(stack: StackProcess, token: str | None) -> None:
    answer = http("GET", f"{stack.url}/pets", token=token, headers={"Origin": stack.url})
    assert answer.status == 401
    assert answer.json["message"] == "Unauthorized", "API Gateway's own body"
    assert answer.json["error"]["code"] == "Unauthorized", "the contract's error object"
    assert answer.headers["Access-Control-Allow-Origin"] == stack.url


def test_missing_token_is_401(stack: StackProcess) -> None:
    _assert_unauthorized(stack, None)
    _assert_unauthorized(stack, "")
    _assert_unauthorized(stack, "Bearer ")
    _assert_unauthorized(stack, "not-a-token")


def test_token_signed_by_another_key_is_401(stack: StackProcess, user_token: str) -> None:
    from joserfc.jwk import RSAKey

    _assert_unauthorized(stack, _sign(_claims(user_token), RSAKey.generate_key(2048)))
    header, payload, _ = user_token.split(".")
    _assert_unauthorized(stack, f"{header}.{payload}.")


def test_expired_token_is_401(stack: StackProcess, user_token: str) -> None:
    claims = _claims(user_token)
    claims.update(iat=int(time.time()) - 7200, auth_time=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    _assert_unauthorized(stack, _sign(claims))


def test_token_for_another_client_is_401(stack: StackProcess, user_token: str) -> None:
    _assert_unauthorized(stack, _sign({**_claims(user_token), "aud": "some-other-client"}))
    _assert_unauthorized(stack, _sign({**_claims(user_token), "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}))


def test_access_token_where_an_id_token_is_due_is_401(stack: StackProcess, tokens: dict[str, dict[str, Any]]) -> None:
    _assert_unauthorized(stack, tokens["admin"]["AccessToken"])
    _assert_unauthorized(stack, _sign({**_claims(tokens["admin"]["IdToken"]), "token_use": "access"}))


def test_non_admin_write_is_403(stack: StackProcess, user_token: str) -> None:
    answer = http("POST", f"{stack.url}/pets", token=user_token, headers={"Origin": stack.url},
                  body={"name": "Nope", "type": "dog", "age": 1, "price": 1})
    assert answer.status == 403 and answer.json["error"]["code"] == "Forbidden"
    assert answer.headers["Access-Control-Allow-Origin"] == stack.url


# ---------------------------------------------------------------------- CORS, unknown routes, the page
def test_cors_preflight(stack: StackProcess) -> None:
    for path in ("/pets", "/pets/some-id", "/pets/query", "/health"):
        answer = http("OPTIONS", f"{stack.url}{path}", headers={
            "Origin": stack.url, "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,content-type,if-match"})
        assert answer.status == 200, path
        assert answer.headers["Access-Control-Allow-Origin"] == stack.url
        allowed = {name.strip().lower() for name in answer.headers["Access-Control-Allow-Headers"].split(",")}
        assert {"authorization", "content-type", "idempotency-key", "if-match"} <= allowed
        methods = set(answer.headers["Access-Control-Allow-Methods"].split(","))
        assert {"GET", "POST", "PATCH", "DELETE"} <= methods


def test_404s_carry_cors_headers(stack: StackProcess, user_token: str) -> None:
    missing_pet = http("GET", f"{stack.url}/pets/{uuid.uuid4()}", token=user_token, headers={"Origin": stack.url})
    assert missing_pet.status == 404 and missing_pet.json["error"]["code"] == "NotFound"
    assert missing_pet.headers["Access-Control-Allow-Origin"] == stack.url
    no_route = http("GET", f"{stack.url}/no/such/route", headers={"Origin": stack.url})
    assert no_route.status == 404 and no_route.json["error"]["code"] == "NotFound"
    assert no_route.headers["Access-Control-Allow-Origin"] == stack.url


def test_wrong_method_is_405(stack: StackProcess, admin_token: str) -> None:
    answer = http("PUT", f"{stack.url}/pets", token=admin_token, body={})
    assert answer.status == 405


def test_bad_json_is_400_not_5xx(stack: StackProcess, admin_token: str) -> None:
    answer = http("POST", f"{stack.url}/pets", token=admin_token, data=b"{not json",
                  headers={"Content-Type": "application/json"})
    assert answer.status == 400


def test_the_page_is_served_at_the_root(stack: StackProcess) -> None:
    if not (ROOT / "frontend" / "index.html").is_file():
        pytest.skip("no frontend/index.html")
    page = http("GET", f"{stack.url}/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.raw == (ROOT / "frontend" / "index.html").read_bytes()
    assert http("GET", f"{stack.url}/../template.yaml").status == 404
    assert http("GET", f"{stack.url}/no-such-file.js").status == 404


# ---------------------------------------------------------------------- the command
def _script() -> list[str]:
    script = Path(sys.executable).parent / "petstore-dev"
    return [str(script)] if script.exists() else [sys.executable, "-m", "petstore_dev"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_command_prints_ready_and_stops_cleanly(stop_signal: int) -> None:
    port = _free_port()
    process = subprocess.Popen([*_script(), "--port", str(port), "--no-seed"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "ready" in line:
                break
        assert any("ready" in line for line in lines), "".join(lines)
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}" in output
        assert "admin@example.com" in output and "user@example.com" in output and "PetStore-demo-1" in output
        assert http("GET", f"http://127.0.0.1:{port}/health").status == 200
        process.send_signal(stop_signal)
        rest, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output + rest
    assert sum("ready" in line for line in (output + rest).splitlines()) == 1
    assert "Traceback" not in rest


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run([*_script(), "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()
    assert len(message) == 1 and "in use" in message[0] and str(port) in message[0], result.stderr
    assert "ready" not in result.stdout


def test_demo_password_comes_from_the_environment() -> None:
    with StackProcess(seed=False, password="Another-demo-pass-9") as other:
        assert other.seeded == 0
        assert sign_in(other.url, other.admin.email, "Another-demo-pass-9")["IdToken"]
        with pytest.raises(SignInError):
            sign_in(other.url, other.admin.email, "PetStore-demo-1")
        token = sign_in(other.url, other.user.email, "Another-demo-pass-9")["IdToken"]
        assert http("GET", f"{other.url}/pets", token=token).json == {"pets": [], "next_cursor": None}


# ---------------------------------------------------------------------- the gateway's translation, without sockets
def _gateway(invoke: Any, claims: dict[str, str] | None = None) -> Any:
    from werkzeug.test import Client

    from petstore_dev.gateway import Gateway

    gateway = Gateway(invoke=invoke, authorize=lambda header: claims if header else None,
                      allowed_origin="http://127.0.0.1:3000")
    return Client(gateway)


def test_gateway_sends_binary_bodies_base64_and_text_as_is() -> None:
    import base64

    seen: list[dict[str, Any]] = []

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(event)
        return {"statusCode": 200, "body": "{}"}

    client = _gateway(invoke, {"sub": "x"})
    client.post("/pets?type=dog&type=cat&q=a%20b", data=b"\x89PNG\x00\x01", headers={
        "Authorization": "t", "Content-Type": "application/octet-stream", "X-Forwarded-For": "198.51.100.7"})
    client.post("/pets", data='{"name": "Zoë"}'.encode(), headers={"Authorization": "t", "Content-Type": "application/json"})
    binary, text = seen
    assert binary["isBase64Encoded"] is True and base64.b64decode(binary["body"]) == b"\x89PNG\x00\x01"
    assert binary["multiValueQueryStringParameters"] == {"type": ["dog", "cat"], "q": ["a b"]}
    assert binary["queryStringParameters"] == {"type": "cat", "q": "a b"}
    assert binary["headers"]["X-Forwarded-For"] == "198.51.100.7, 127.0.0.1"
    assert binary["requestContext"]["authorizer"]["claims"] == {"sub": "x"}
    assert text["isBase64Encoded"] is False and json.loads(text["body"]) == {"name": "Zoë"}
    assert text["resource"] == "/pets" and text["requestContext"]["stage"] == "local"


def test_gateway_reads_the_handlers_answer_as_api_gateway_does() -> None:
    import base64

    answer = {"statusCode": 201, "headers": {"X-One": "a", "Set-Cookie": "b=2"},
              "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
              "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}
    response = _gateway(lambda event: answer, {"sub": "x"}).get("/pets", headers={"Authorization": "t"})
    assert response.status_code == 201 and response.data == b"\x00\x01"
    assert response.headers.getlist("Set-Cookie") == ["a=1", "b=2"] and response.headers["X-One"] == "a"
    assert response.headers["x-amzn-RequestId"]


def test_a_failing_handler_is_a_502_like_api_gateway() -> None:
    def broken(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("boom")

    response = _gateway(broken, {"sub": "x"}).get("/pets", headers={"Authorization": "t"})
    assert response.status_code == 502 and response.json["message"] == "Internal server error"
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"


def test_public_routes_skip_the_authorizer() -> None:
    seen: list[dict[str, Any]] = []
    client = _gateway(lambda event: seen.append(event) or {"statusCode": 200, "body": "{}"})
    for path in ("/health", "/config", "/openapi.json"):
        assert client.get(path).status_code == 200
    assert all("authorizer" not in event["requestContext"] for event in seen)
    assert client.get("/pets").status_code == 401 and client.get("/pets/1").status_code == 401
    assert client.post("/pets/query").status_code == 401


# ---------------------------------------------------------------------- the handler's environment
def test_credentials_are_detected_without_touching_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from petstore_dev.stack import has_aws_credentials

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert has_aws_credentials() is False
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    assert has_aws_credentials() is False
    monkeypatch.delenv("AWS_PROFILE")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert has_aws_credentials() is True


@pytest.mark.parametrize("real_credentials", [False, True])
def test_handler_environment(monkeypatch: pytest.MonkeyPatch, real_credentials: bool) -> None:
    from petstore_dev.stack import LocalStack

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_PROFILE", "someone")
    monkeypatch.delenv("PETSTORE_BEDROCK_MODEL_ID", raising=False)
    before = dict(os.environ)
    local = LocalStack(port=4321, region="eu-west-1")
    local.url, local.cognito_endpoint, local.moto_url = "http://127.0.0.1:4321", "http://127.0.0.1:4321/cognito", "http://127.0.0.1:5555"
    local.tables = {"PETS_TABLE": "p", "IDEMPOTENCY_TABLE": "i", "SESSIONS_TABLE": "s"}
    local.user_pool_id, local.client_id, local.real_credentials = "eu-west-1_pool", "client", real_credentials
    local._configure_environment()
    try:
        env = dict(os.environ)
    finally:
        local.stop()
    assert dict(os.environ) == before, "stop() puts the environment back"
    assert env["AWS_ENDPOINT_URL_DYNAMODB"] == env["AWS_ENDPOINT_URL_COGNITO_IDP"] == "http://127.0.0.1:5555"
    assert (env["PETS_TABLE"], env["IDEMPOTENCY_TABLE"], env["SESSIONS_TABLE"]) == ("p", "i", "s")
    assert (env["USER_POOL_ID"], env["USER_POOL_CLIENT_ID"]) == ("eu-west-1_pool", "client")
    assert env["COGNITO_ENDPOINT"] == "http://127.0.0.1:4321/cognito" and env["ALLOWED_ORIGIN"] == "http://127.0.0.1:4321"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    if real_credentials:
        assert env["AWS_SECRET_ACCESS_KEY"] == "real-secret" and env["AWS_PROFILE"] == "someone"
        assert env["BEDROCK_MODEL_ID"] == "us.amazon.nova-micro-v1:0"
    else:
        assert env["AWS_ACCESS_KEY_ID"] == "testing" and "AWS_PROFILE" not in env
        assert env["BEDROCK_MODEL_ID"] == ""
