"""What an outside security review found, fixed: bodies that aren't one object, text that spoofs what is shown,
-0, a reused Idempotency-Key, CORS without a fallback, the question rate limit, and the local stack's gateway and
Cognito endpoint (admin calls, SignUp, foreign origins, password reset, MFA, unreadable requests)."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ADMIN_CLAIMS, ALLOWED_ORIGIN, USER_CLAIMS, Api, LambdaContext, new_pet
from tests.stack_fixture import SignInError, StackProcess, cognito_call, sign_in

ROOT = Path(__file__).resolve().parent.parent


def pet_count(api: Api) -> int:
    status, page, _ = api.call("GET", "/pets", query="page_size=100")
    assert status == 200
    return len(page["pets"])


# ---------------------------------------------------------------------- every body is one JSON object
@pytest.mark.parametrize("raw", [
    json.dumps([new_pet(name="A"), new_pet(name="B")]), "[]", '"Rex"', "3", "null", "true",
])
def test_a_body_that_is_not_one_object_creates_nothing(api: Api, raw: str) -> None:
    status, body, headers = api.call("POST", "/pets", raw=raw)
    assert status == 422 and body["error"]["code"] == "ValidationError"
    assert "one JSON object" in body["error"]["message"]
    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert pet_count(api) == 0


def test_an_array_patch_changes_nothing(api: Api) -> None:
    _, pet, _ = api.call("POST", "/pets", body=new_pet())
    status, body, _ = api.call("PATCH", f"/pets/{pet['id']}", raw=json.dumps([{"price": 1}, {"price": 2}]))
    assert status == 422 and "one JSON object" in body["error"]["message"]
    _, after, _ = api.call("GET", f"/pets/{pet['id']}")
    assert after == pet


def test_an_array_question_is_refused(api: Api) -> None:
    status, body, _ = api.call("POST", "/pets/query", raw=json.dumps([{"query": "dogs"}]), claims=USER_CLAIMS)
    assert status == 422 and body["error"]["details"][0]["field"] == "body"


# ---------------------------------------------------------------------- text people read, and -0
SPOOFING = {
    "NUL": "Rex\x00", "escape": "Rex\x1b[31m", "delete": "Rex\x7f", "C1 control": "Rex\x85",
    "right-to-left override": "Re\u202ex", "left-to-right isolate": "\u2066Rex", "right-to-left mark": "Rex\u200f",
    "zero-width space": "R\u200bex", "byte-order mark": "\ufeffRex", "line separator": "Rex\u2028Max",
    "newline": "Rex\nMax", "tab": "Rex\tMax", "noncharacter": "Rex\uffff",
}


@pytest.mark.parametrize("field", ["name", "breed"])
@pytest.mark.parametrize("kind", sorted(SPOOFING))
def test_text_fields_refuse_control_and_bidi_characters(api: Api, field: str, kind: str) -> None:
    text = SPOOFING[kind]
    status, body, _ = api.call("POST", "/pets", body=new_pet(**{field: text}))
    assert status == 422, (kind, body)
    detail = body["error"]["details"][0]
    assert detail["field"].endswith(field) and "U+" in detail["message"]
    assert pet_count(api) == 0

    _, pet, _ = api.call("POST", "/pets", body=new_pet())
    status, body, _ = api.call("PATCH", f"/pets/{pet['id']}", body={field: text})
    assert status == 422, (kind, body)
    _, after, _ = api.call("GET", f"/pets/{pet['id']}")
    assert after == pet


def test_text_people_write_is_kept(api: Api) -> None:
    names = ["Zoë", "Zoe\u0308", "Ñandú", "Мурзик", "ポチ", "رکس", "Rex 🐕", "👨\u200d👩\u200d👧 family", "دو\u200cتا"]
    for name in names:
        status, pet, _ = api.call("POST", "/pets", body=new_pet(name=name))
        assert status == 201, (name, pet)
    _, page, _ = api.call("GET", "/pets", query="page_size=100")
    stored = {pet["name"] for pet in page["pets"]}
    assert "Zoë" in stored and "Zoe\u0308" not in stored  # one spelling of the same letters (NFC)
    assert "👨\u200d👩\u200d👧 family" in stored and "دو\u200cتا" in stored


def test_questions_and_breed_filters_refuse_bidi_overrides(api: Api) -> None:
    status, body, _ = api.call("POST", "/pets/query", body={"query": "dogs \u202eunder 500"}, claims=USER_CLAIMS)
    assert status == 422 and "U+202E" in body["error"]["details"][0]["message"]
    status, _, _ = api.call("GET", "/pets", query="breed=Bea%E2%80%AEgle", claims=USER_CLAIMS)
    assert status == 422
    status, _, _ = api.call("POST", "/pets/query", body={"query": "dogs\nunder 500"}, claims=USER_CLAIMS)
    assert status == 200


@pytest.mark.parametrize("zero", ["-0", "-0.0", "-0.00"])
def test_minus_zero_is_zero_in_the_answer_and_in_the_store(api: Api, zero: str) -> None:
    raw = json.dumps(new_pet(price=0, age=0)).replace('"price": 0', f'"price": {zero}').replace('"age": 0', f'"age": {zero}')
    response = api.module.lambda_handler(_event("POST", "/pets", raw), LambdaContext())
    assert response["statusCode"] == 201
    assert not re.search(r'"(price|age)": *-0', response["body"])
    created = json.loads(response["body"])
    _, read_back, _ = api.call("GET", f"/pets/{created['id']}")
    assert created == read_back and read_back["price"] == 0 and read_back["age"] == 0


def test_a_minus_zero_bound_is_zero_in_the_filter() -> None:
    import math

    from petstore.models import PetFilter, PetListParams

    parsed = PetListParams.model_validate({"min_price": "-0", "max_age": "-0.0"}).to_filter()
    assert math.copysign(1, parsed.min_price) == 1 and math.copysign(1, parsed.max_age) == 1
    assert "-0" not in PetFilter(min_price=-0.0, min_age=-0.0).model_dump_json()


def _event(method: str, path: str, raw: str, claims: dict[str, str] = ADMIN_CLAIMS) -> dict[str, Any]:
    from petstore_dev.events import rest_event

    return rest_event(method, path, headers={"Content-Type": "application/json"}, body=raw, claims=claims)


# ---------------------------------------------------------------------- a reused Idempotency-Key: one answer everywhere
def test_a_reused_idempotency_key_is_422_in_the_api_its_document_and_the_readme(api: Api) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    assert api.call("POST", "/pets", body=new_pet(), headers=key)[0] == 201
    status, body, _ = api.call("POST", "/pets", body=new_pet(name="Other"), headers=key)
    assert status == 422 and body["error"]["code"] == "IdempotencyKeyReused"
    assert pet_count(api) == 1

    _, document, _ = api.call("GET", "/openapi.json", claims=None)
    responses = document["paths"]["/pets"]["post"]["responses"]
    assert "Idempotency-Key" in responses["422"]["description"]
    assert "another body" not in responses["409"]["description"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"same key \+ other body: (\d{3})", readme)
    assert documented and int(documented.group(1)) == status


# ---------------------------------------------------------------------- CORS: the configured origin, never *
def test_every_answer_names_the_configured_origin(api: Api) -> None:
    for method, path, body in (("GET", "/pets", None), ("GET", "/nowhere", None), ("POST", "/pets", [1])):
        _, _, headers = api.call(method, path, body=body, headers={"Origin": ALLOWED_ORIGIN})
        assert headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN, (method, path)
    _, _, headers = api.call("GET", "/pets", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("configured", ["", "*", "https://pets.example.com/path", "pets.example.com"])
def test_without_a_usable_origin_the_function_fails_clearly(monkeypatch: pytest.MonkeyPatch, configured: str) -> None:
    from petstore.api.rest import allowed_origin

    monkeypatch.setenv("ALLOWED_ORIGIN", configured)
    with pytest.raises(RuntimeError, match="ALLOWED_ORIGIN"):
        allowed_origin()


def test_in_aws_the_origin_comes_from_the_stage(aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import app as app_module
    from petstore.api.container import Container

    monkeypatch.delenv("ALLOWED_ORIGIN")
    monkeypatch.setattr(app_module, "container", Container())
    monkeypatch.setattr(app_module, "resolver", None)
    from petstore_dev.events import rest_event

    event = rest_event("GET", "/pets", headers={"Origin": "https://d111.cloudfront.net"}, claims=ADMIN_CLAIMS)
    with pytest.raises(RuntimeError, match="allowedOrigin"):
        app_module.lambda_handler(event, LambdaContext())
    event["stageVariables"] = {"allowedOrigin": "https://d111.cloudfront.net"}
    response = app_module.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 200
    headers = {**response.get("headers", {}), **{k: v[0] for k, v in (response.get("multiValueHeaders") or {}).items()}}
    assert headers["Access-Control-Allow-Origin"] == "https://d111.cloudfront.net"


# ---------------------------------------------------------------------- questions per user and minute
def test_questions_over_the_limit_are_429_with_retry_after(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_RATE_LIMIT", "2")
    if time.time() % 60 > 57:  # the three questions must fall in one minute's window
        time.sleep(60 - time.time() % 60 + 0.1)
    for _ in range(2):
        assert api.call("POST", "/pets/query", body={"query": "dogs"}, claims=USER_CLAIMS)[0] == 200
    status, body, headers = api.call("POST", "/pets/query", body={"query": "dogs"}, claims=USER_CLAIMS)
    assert status == 429 and body["error"]["code"] == "RateLimitExceeded"
    assert 1 <= int(headers["Retry-After"]) <= 60 and body["error"]["limit"] == 2
    # Another user has a budget of their own; reads are not limited.
    assert api.call("POST", "/pets/query", body={"query": "cats"}, claims=ADMIN_CLAIMS)[0] == 200
    assert api.call("GET", "/pets", claims=USER_CLAIMS)[0] == 200


def test_the_limit_resets_with_the_window_and_counters_expire(aws_env: dict[str, str]) -> None:
    from petstore.auth import Principal
    from petstore.rate_limit import EXPIRY_GRACE_SECONDS, RateLimit, RateLimiter, RateLimitExceeded
    from petstore.store.aws import client
    from petstore.store.rate_counter import DynamoRateCounter

    now = [1_200_020.0]
    limiter = RateLimiter(DynamoRateCounter(aws_env["RATE_LIMIT_TABLE"]), RateLimit(3, 60), "query", clock=lambda: now[0])
    someone = Principal("someone", None, frozenset())
    for _ in range(3):
        limiter.check(someone)
    with pytest.raises(RateLimitExceeded) as refused:
        limiter.check(someone)
    assert refused.value.headers["Retry-After"] == "40"  # the minute began at 1,200,000: 40 s to go
    now[0] += 40
    limiter.check(someone)
    items = client("dynamodb").scan(TableName=aws_env["RATE_LIMIT_TABLE"])["Items"]
    assert len(items) == 2
    assert all(int(item["expires_at"]["N"]) <= now[0] + 60 + EXPIRY_GRACE_SECONDS for item in items)


def test_a_broken_counter_lets_questions_through_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    from petstore.auth import Principal
    from petstore.errors import Throttled
    from petstore.rate_limit import RateLimit, RateLimiter

    class Broken:
        def increment(self, key: str, expires_at: int) -> int:
            raise ConnectionError("no route to the table")

    class Busy:
        def increment(self, key: str, expires_at: int) -> int:
            raise Throttled("The store is busy; retry shortly.")

    someone = Principal("someone", None, frozenset())
    for _ in range(3):
        RateLimiter(Broken(), RateLimit(1, 60), "query").check(someone)
    assert caplog.text.count("rate limit counter failed; request allowed") == 3
    with pytest.raises(Throttled):
        RateLimiter(Busy(), RateLimit(1, 60), "query").check(someone)


@pytest.mark.parametrize("limit, window", [("many", "60"), ("5", "0"), ("-1", "60")])
def test_a_bad_limit_setting_is_a_clear_error(limit: str, window: str) -> None:
    from petstore.rate_limit import RateLimit

    with pytest.raises(RuntimeError, match="QUERY_RATE_LIMIT"):
        RateLimit.from_environment({"QUERY_RATE_LIMIT": limit, "QUERY_RATE_WINDOW_SECONDS": window}, "QUERY")


# ---------------------------------------------------------------------- the local gateway: requests it can't read
def _raw(stack: StackProcess, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /health HTTP/9.9\r\n\r\n", 400),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
])
def test_the_gateway_answers_what_it_cannot_read(stack: StackProcess, request_bytes: bytes, status: int) -> None:
    answer = _raw(stack, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["error"]["code"]
    health = _raw(stack, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert health.startswith(b"HTTP/1.1 200 ")


# ---------------------------------------------------------------------- the local Cognito endpoint
def _emulator(stack: StackProcess) -> Any:
    import boto3

    assert stack.emulator_url.startswith("http://127.0.0.1:"), stack.output()
    return boto3.client("cognito-idp", endpoint_url=stack.emulator_url, region_name=stack.region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def _new_user(stack: StackProcess, password: str = "First-password-1") -> str:
    email = f"u-{uuid.uuid4().hex[:10]}@example.com"
    emulator = _emulator(stack)
    emulator.admin_create_user(UserPoolId=stack.user_pool_id, Username=email, MessageAction="SUPPRESS",
                               UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}])
    emulator.admin_set_user_password(UserPoolId=stack.user_pool_id, Username=email, Password=password, Permanent=True)
    return email


def _post(stack: StackProcess, action: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    import urllib.error
    import urllib.request

    from petstore_dev.stack import urlopen

    sent = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}",
            **(headers or {})}
    request = urllib.request.Request(stack.cognito_endpoint + "/", data=json.dumps(payload).encode(), headers=sent,
                                     method="POST")
    try:
        with urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_a_signed_admin_call_through_the_page_endpoint_is_refused(stack: StackProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from botocore.exceptions import ClientError

    for key in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(key, "127.0.0.1,localhost")
    signed = boto3.client("cognito-idp", endpoint_url=stack.cognito_endpoint, region_name=stack.region,
                          aws_access_key_id="anyone", aws_secret_access_key="on-this-machine")
    with pytest.raises(ClientError) as refused:
        signed.admin_add_user_to_group(UserPoolId=stack.user_pool_id, Username=stack.user.email, GroupName="admins")
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    groups = _emulator(stack).admin_list_groups_for_user(UserPoolId=stack.user_pool_id, Username=stack.user.email)
    assert groups["Groups"] == []
    with pytest.raises(ClientError):
        signed.list_users(UserPoolId=stack.user_pool_id)


def test_sign_up_is_refused_as_the_pool_allows_admin_created_users_only(stack: StackProcess) -> None:
    email = f"self-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = _post(stack, "SignUp", {"ClientId": stack.client_id, "Username": email, "Password": "Some-password-1",
                                              "UserAttributes": [{"Name": "email", "Value": email}]})
    assert status == 400 and body["__type"] == "MissingAuthenticationTokenException"
    with pytest.raises(Exception, match="UserNotFound"):
        _emulator(stack).admin_get_user(UserPoolId=stack.user_pool_id, Username=email)


def test_cognito_cors_is_for_the_stacks_own_origin_only(stack: StackProcess) -> None:
    payload = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
               "AuthParameters": {"USERNAME": stack.user.email, "PASSWORD": stack.user.password}}
    status, headers, body = _post(stack, "InitiateAuth", payload, {"Origin": "https://evil.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers and "AuthenticationResult" not in body

    import urllib.error
    import urllib.request

    from petstore_dev.stack import urlopen

    preflight = urllib.request.Request(stack.cognito_endpoint + "/", method="OPTIONS", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urlopen(preflight)
    assert refused.value.code == 403 and "Access-Control-Allow-Origin" not in refused.value.headers

    port = stack.url.rsplit(":", 1)[1]
    for origin in (stack.url, f"http://localhost:{port}"):
        status, headers, body = _post(stack, "InitiateAuth", payload, {"Origin": origin})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == origin and body["AuthenticationResult"]
    status, headers, body = _post(stack, "InitiateAuth", payload)  # scripts send no Origin
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def _codes_printed(stack: StackProcess, email: str) -> list[str]:
    return re.findall(rf"reset code for {re.escape(email)}: (\d{{6}})", stack.output())


def _reset_code(stack: StackProcess, email: str, after: int) -> str:
    """The code printed after the first `after` codes for this email (the output keeps only its last lines,
    so a position in it would move)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        codes = _codes_printed(stack, email)
        if len(codes) > after:
            return codes[-1]
        time.sleep(0.05)
    raise AssertionError(f"no reset code printed for {email}:\n{stack.output()[-2000:]}")


def test_forgot_password_resets_with_the_code_the_stack_prints(stack: StackProcess) -> None:
    email = _new_user(stack)
    printed = len(_codes_printed(stack, email))
    status, headers, body = _post(stack, "ForgotPassword", {"ClientId": stack.client_id, "Username": email},
                                  {"Origin": stack.url})
    assert status == 200 and body["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert not [name for name in headers if name.lower().startswith("x-moto")]  # the emulator's code stays inside
    code = _reset_code(stack, email, printed)

    def confirm(confirmation: str, password: str) -> tuple[int, dict[str, Any]]:
        status, _, body = _post(stack, "ConfirmForgotPassword", {
            "ClientId": stack.client_id, "Username": email, "ConfirmationCode": confirmation, "Password": password})
        return status, body

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for guess in (wrong, "moto-confirmation-code:123456", "anything"):
        assert confirm(guess, "Chosen-password-2") == (400, {"__type": "CodeMismatchException",
                                                             "message": "Invalid verification code provided, please try again."})
    status, body = confirm(code, "weak")
    assert status == 400 and body["__type"] == "InvalidPasswordException"
    assert sign_in(stack.url, email, "First-password-1")["IdToken"]  # nothing changed yet

    assert confirm(code, "Chosen-password-2")[0] == 200
    assert sign_in(stack.url, email, "Chosen-password-2")["IdToken"]
    with pytest.raises(SignInError):
        sign_in(stack.url, email, "First-password-1")
    status, body = confirm(code, "Another-password-3")
    assert status == 400 and body["__type"] == "ExpiredCodeException"  # one use


def test_forgot_password_guesses_run_out(stack: StackProcess) -> None:
    email = _new_user(stack)
    printed = len(_codes_printed(stack, email))
    _post(stack, "ForgotPassword", {"ClientId": stack.client_id, "Username": email})
    code = _reset_code(stack, email, printed)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [_post(stack, "ConfirmForgotPassword", {"ClientId": stack.client_id, "Username": email,
                                                      "ConfirmationCode": wrong, "Password": "Chosen-password-2"})[2]["__type"]
               for _ in range(5)]
    assert answers == ["CodeMismatchException"] * 4 + ["LimitExceededException"]
    status, _, body = _post(stack, "ConfirmForgotPassword", {"ClientId": stack.client_id, "Username": email,
                                                             "ConfirmationCode": code, "Password": "Chosen-password-2"})
    assert status == 400 and body["__type"] == "ExpiredCodeException"


def test_forgot_password_for_nobody_looks_the_same_and_prints_nothing(stack: StackProcess) -> None:
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = _post(stack, "ForgotPassword", {"ClientId": stack.client_id, "Username": email})
    assert status == 200 and "CodeDeliveryDetails" in body
    time.sleep(0.3)
    assert email not in stack.output()


def _totp(secret: str) -> str:
    import base64

    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)  # not on the edge of a 30 s step
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    return TOTP(key, 6, SHA1(), 30, enforce_key_length=False).generate(time.time()).decode()


def test_totp_mfa_set_up_and_sign_in_through_the_local_cognito(stack: StackProcess) -> None:
    email = _new_user(stack)
    tokens = sign_in(stack.url, email, "First-password-1")
    secret = cognito_call(stack.cognito_endpoint, "AssociateSoftwareToken", {"AccessToken": tokens["AccessToken"]})["SecretCode"]
    wrong = "000000" if _totp(secret) != "000000" else "111111"
    with pytest.raises(SignInError) as mismatch:
        cognito_call(stack.cognito_endpoint, "VerifySoftwareToken", {"AccessToken": tokens["AccessToken"], "UserCode": wrong})
    assert mismatch.value.code == "CodeMismatchException"
    verified = cognito_call(stack.cognito_endpoint, "VerifySoftwareToken",
                            {"AccessToken": tokens["AccessToken"], "UserCode": _totp(secret)})
    assert verified["Status"] == "SUCCESS"
    cognito_call(stack.cognito_endpoint, "SetUserMFAPreference", {
        "AccessToken": tokens["AccessToken"], "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})

    with pytest.raises(SignInError) as challenged:
        sign_in(stack.url, email, "First-password-1")
    assert challenged.value.code == "SOFTWARE_TOKEN_MFA"
    started = cognito_call(stack.cognito_endpoint, "InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": "First-password-1"}})
    answered = cognito_call(stack.cognito_endpoint, "RespondToAuthChallenge", {
        "ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": stack.client_id, "Session": started["Session"],
        "ChallengeResponses": {"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": _totp(secret)}})
    assert answered["AuthenticationResult"]["IdToken"]
