"""Signing in, in a real browser: the Content-Security-Policy, SRP, authenticator codes (SOFTWARE_TOKEN_MFA and
MFA_SETUP), a forgotten password, the show-password toggle, the local stack's demo logins, and a staff save
interrupted by an expired session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import struct
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_fixture import (
    PageProblems,
    axe_problems,
    call_api,
    cognito_admin,
    create_pet,
    expect,
    filter_by_price,
    new_user,
    sign_in_and_wait,
    sign_in_on_page,
)
from tests.stack_fixture import running_stack, sign_in

# ---------------------------------------------------------------------- Content-Security-Policy


def test_the_page_runs_under_a_strict_content_security_policy(page: Any, stack: Any, problems: PageProblems) -> None:
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"  # the local stack: API and Cognito on the page's origin
    assert "unsafe" not in policy

    sign_in_and_wait(page, stack.user)
    # The policy is in force and a violation is caught: an injected inline script does not run...
    ran = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return window.__injected === true;
    }""")
    assert ran is False
    # ... and the page cannot send data anywhere but its own origin.
    blocked = page.evaluate("() => fetch('http://127.0.0.1:9/steal').then(() => false, () => true)")
    assert blocked is True
    for _ in range(50):
        if any("script-src" in t for t in problems.csp) and any("connect-src" in t for t in problems.csp):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # the console's copies of the reports
    assert any("script-src" in text for text in problems.csp), problems.csp
    assert any("connect-src" in text for text in problems.csp), problems.csp
    problems.csp.clear()  # the violations this test caused on purpose


def test_the_deployed_page_pins_the_api_and_cognito_origins(tmp_path: Any) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "index.html"
    subprocess.run([sys.executable, str(root / "scripts" / "page_csp.py"), str(root / "frontend" / "index.html"), str(out),
                    "--api-url", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", "--region", "eu-west-1"],
                   check=True)
    original = (root / "frontend" / "index.html").read_text()
    text = out.read_text()
    csp = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]+)"')
    before, after = csp.search(original).group(1), csp.search(text).group(1)
    connect = next(part for part in after.split(";") if part.strip().startswith("connect-src")).split()[1:]
    assert connect == ["'self'", "https://abc123.execute-api.eu-west-1.amazonaws.com",
                       "https://cognito-idp.eu-west-1.amazonaws.com"]
    assert text == original.replace(before, after)  # nothing else changes
    bad = subprocess.run([sys.executable, str(root / "scripts" / "page_csp.py"), str(root / "frontend" / "index.html"),
                          str(out), "--api-url", "http://evil.example/", "--region", "eu-west-1"], capture_output=True, text=True)
    assert bad.returncode != 0 and "https" in bad.stderr


# ---------------------------------------------------------------------- password field, demo logins


def test_show_password_toggle(page: Any) -> None:
    password = page.get_by_label("Password")
    password.fill("Secret-words-1")
    toggle = page.locator("#signin-form").get_by_role("button", name="Show")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(password).to_have_attribute("type", "text")
    expect(page.locator("#signin-form").get_by_role("button", name="Hide")).to_have_attribute("aria-pressed", "true")
    expect(password).to_be_focused()
    page.locator("#signin-form").get_by_role("button", name="Hide").click()
    expect(password).to_have_attribute("type", "password")


def test_demo_logins_only_in_the_local_stack(make_page: Any, stack: Any) -> None:
    page = make_page()
    demo = page.locator("#demo-logins")
    expect(demo).to_be_visible()
    expect(demo).to_contain_text(stack.admin.email)
    expect(demo).to_contain_text(stack.user.email)
    expect(demo).to_contain_text(stack.user.password)
    demo.get_by_role("button", name=f"Use {stack.user.email}").click()
    expect(page.get_by_label("Email")).to_have_value(stack.user.email)
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-role")).to_have_text("Shopper")

    # A deployed page's config.json names only its API: no demo logins.
    deployed = make_page(open_url=False)
    deployed.route("**/config.json", lambda route: route.fulfill(json={"apiUrl": stack.url}))
    deployed.goto(stack.url + "/")
    expect(deployed.get_by_label("Email")).to_be_visible()
    expect(deployed.locator("#demo-logins")).to_be_hidden()
    expect(deployed.locator("#demo-logins li")).to_have_count(0)


# ---------------------------------------------------------------------- SRP


N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
G = 2


def pad_hex(value: int) -> str:
    text = format(value, "x")
    if len(text) % 2:
        return "0" + text
    return "00" + text if text[0] in "89abcdef" else text


def hash_hex(hex_text: str) -> int:
    return int(hashlib.sha256(bytes.fromhex(hex_text)).hexdigest(), 16)


class SrpServer:
    """The server side of Cognito's SRP (what the user pool does), to check the page's proof independently:
    it knows only the verifier of the password, and accepts a sign-in only when the page's signature matches."""

    def __init__(self, pool_id: str, user_id: str, password: str) -> None:
        self.pool = pool_id.split("_", 1)[1]
        self.user_id = user_id
        self.salt = secrets.randbits(128) | (1 << 127)
        identity = hashlib.sha256(f"{self.pool}{user_id}:{password}".encode()).hexdigest()
        x = hash_hex(pad_hex(self.salt) + identity)
        self.v = pow(G, x, N)
        self.k = hash_hex(pad_hex(N) + pad_hex(G))
        self.exchanges: dict[str, tuple[int, int, int]] = {}

    def challenge(self, srp_a: str) -> dict[str, str]:
        a_public = int(srp_a, 16)
        assert a_public % N != 0
        b = secrets.randbits(1024)
        b_public = (self.k * self.v + pow(G, b, N)) % N
        block = base64.b64encode(secrets.token_bytes(64)).decode()
        self.exchanges[block] = (a_public, b, b_public)
        return {"SALT": format(self.salt, "x"), "SRP_B": format(b_public, "x"), "SECRET_BLOCK": block,
                "USER_ID_FOR_SRP": self.user_id, "USERNAME": self.user_id}

    def verify(self, responses: dict[str, str]) -> bool:
        a_public, b, b_public = self.exchanges.pop(responses["PASSWORD_CLAIM_SECRET_BLOCK"])
        if responses["USERNAME"] != self.user_id:
            return False
        assert re.fullmatch(r"(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}",
                            responses["TIMESTAMP"]), responses["TIMESTAMP"]
        u = hash_hex(pad_hex(a_public) + pad_hex(b_public))
        shared = pow(a_public * pow(self.v, u, N), b, N)
        prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(shared)), hashlib.sha256).digest()
        key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
        message = (self.pool.encode() + self.user_id.encode()
                   + base64.b64decode(responses["PASSWORD_CLAIM_SECRET_BLOCK"]) + responses["TIMESTAMP"].encode())
        expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        return hmac.compare_digest(expected, responses["PASSWORD_CLAIM_SIGNATURE"])


def test_srp_sign_in_proves_the_password_without_sending_it(make_page: Any, stack: Any) -> None:
    """The deployed page signs in with SRP. The local emulator does not check SRP proofs, so here the two SRP
    calls are answered by a real SRP verifier (above); the tokens then come from the local user pool."""
    user = new_user(stack)
    server = SrpServer(stack.user_pool_id, str(uuid.uuid4()), user.password)
    sent: list[str] = []

    def cognito(route: Any) -> None:
        request = route.request
        target = (request.headers.get("x-amz-target") or "").rsplit(".", 1)[-1]
        body = json.loads(request.post_data or "{}")
        sent.append(request.post_data or "")
        if target == "InitiateAuth" and body.get("AuthFlow") == "USER_SRP_AUTH":
            assert body["AuthParameters"]["USERNAME"] == user.email
            route.fulfill(json={"ChallengeName": "PASSWORD_VERIFIER",
                                "ChallengeParameters": server.challenge(body["AuthParameters"]["SRP_A"])})
        elif target == "RespondToAuthChallenge" and body.get("ChallengeName") == "PASSWORD_VERIFIER":
            if server.verify(body["ChallengeResponses"]):
                route.fulfill(json={"AuthenticationResult": sign_in(stack.url, user.email, user.password)})
            else:
                route.fulfill(status=400, json={"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
        else:
            route.continue_()

    page = make_page(open_url=False)
    page.route("**/config.json", lambda route: route.fulfill(json={}))  # as deployed: no authFlow override
    page.route(re.compile(r".*/cognito/?$"), cognito)
    page.goto(stack.url + "/")
    sign_in_on_page(page, user.email, "Not-the-password-1")
    expect(page.locator("#signin-error")).to_contain_text("don't match")
    sign_in_on_page(page, user.email, user.password)
    expect(page.locator("#who-email")).to_have_text(user.email)
    flows = [json.loads(body).get("AuthFlow") for body in sent if '"AuthFlow"' in body]
    assert flows == ["USER_SRP_AUTH", "USER_SRP_AUTH"], flows
    assert not [body for body in sent if user.password in body or "Not-the-password-1" in body]


# ---------------------------------------------------------------------- authenticator codes


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: six digits from HMAC-SHA1 of the 30-second step."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def fresh_totp(secret: str) -> str:
    """A code with at least 4 seconds left in its step (the emulator accepts only the current step)."""
    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.2)
    return totp(secret)


@pytest.fixture(scope="module")
def mfa_stack() -> Iterator[Any]:
    """A stack of its own whose user pool requires authenticator codes (the local emulator checks them)."""
    with running_stack(seed=False) as running:
        cognito_admin(running).set_user_pool_mfa_config(
            UserPoolId=running.user_pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON")
        yield running


def test_authenticator_set_up_then_codes_at_each_sign_in(make_page: Any, mfa_stack: Any) -> None:
    user = new_user(mfa_stack, temporary=True, password="Temporary-pass-1")
    page = make_page(base_url=mfa_stack.url)
    sign_in_on_page(page, user.email, "Temporary-pass-1")
    page.get_by_label("New password", exact=True).fill("Brand-new-pass-1")
    page.get_by_label("Confirm new password").fill("Brand-new-pass-1")
    page.get_by_role("button", name="Set new password").click()

    # MFA_SETUP: the page shows the key to add to an authenticator app, then checks its first code.
    expect(page.get_by_role("heading", name="Set up sign-in codes")).to_be_visible()
    expect(page).to_have_title("Set up sign-in codes · PetStore")
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Za-z2-7]+", secret), secret
    assert page.locator("#mfa-otpauth").get_attribute("href").startswith("otpauth://totp/PetStore")
    code = page.get_by_role("textbox", name="Code")
    expect(code).to_be_focused()
    assert not axe_problems(page, "authenticator set-up")
    code.fill(fresh_totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#who-email")).to_have_text(user.email)

    # From now on: SOFTWARE_TOKEN_MFA at each sign-in; a wrong code is said beside the field.
    page.get_by_role("button", name="Sign out").click()
    sign_in_on_page(page, user.email, "Brand-new-pass-1")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    right = fresh_totp(secret)
    page.get_by_role("textbox", name="Code").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#mfa-code-error")).to_contain_text("isn't right")
    expect(page.get_by_role("textbox", name="Code")).to_have_attribute("aria-invalid", "true")
    assert not axe_problems(page, "sign-in code with an error")
    page.get_by_role("textbox", name="Code").fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#mfa-code-error")).to_have_text("Enter the 6-digit code.")
    page.get_by_role("textbox", name="Code").fill(fresh_totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#who-email")).to_have_text(user.email)


# ---------------------------------------------------------------------- forgotten password


def test_forgot_password_sends_a_code_and_sets_a_new_password(make_page: Any, stack: Any) -> None:
    user = new_user(stack)
    page = make_page()
    page.get_by_role("button", name="Forgot password?").click()
    expect(page).to_have_title("Reset your password · PetStore")
    step = page.locator("#step-view")
    step.get_by_label("Email").fill(user.email)
    step.get_by_role("button", name="Send me a code").click()
    expect(page.locator("#forgot-notice")).to_contain_text(f"If an account uses {user.email}, we sent a code")
    expect(page.locator("#forgot-notice")).to_contain_text("prints the code")
    code = ""
    for _ in range(100):  # the local stack prints the code in its terminal
        found = re.findall(rf"code for {re.escape(user.email)}: (\d{{6}})", stack.output())
        if found:
            code = found[-1]
            break
        time.sleep(0.05)
    assert code, "the local stack printed no confirmation code"
    expect(step.get_by_label("Code")).to_be_focused()

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    step.get_by_label("Code").fill(wrong)
    step.get_by_label("New password").fill("Reset-password-12")
    step.get_by_role("button", name="Set new password").click()
    expect(page.locator("#forgot-code-error")).to_have_text("That code isn't right. Check it and try again.")
    expect(step.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert not axe_problems(page, "new password from a code, with an error")
    step.get_by_label("Code").fill(code)
    step.get_by_role("button", name="Set new password").click()
    expect(page.locator("#signin-notice")).to_have_text("Your password was changed. Sign in with the new one.")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    page.get_by_label("Password").fill("Reset-password-12")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-email")).to_have_text(user.email)


# ---------------------------------------------------------------------- expired session during a save


def test_a_save_interrupted_by_an_expired_session_keeps_the_draft(make_page: Any, stack: Any, admin_token: str) -> None:
    staff = new_user(stack, admin=True)
    pet = create_pet(stack, admin_token, name=f"Draft {uuid.uuid4().hex[:5]}")
    page = make_page(open_url=False)
    page.clock.install()
    page.goto(stack.url + "/")
    sign_in_and_wait(page, staff)
    filter_by_price(page, pet["price"])
    page.get_by_role("button", name=f"Edit {pet['name']}").click()
    dialog = page.locator("#edit-dialog")
    dialog.get_by_label("Price in dollars").fill("321.5")
    dialog.get_by_label("Breed").fill("Draft Hound")

    # The session ends everywhere, and the ID token is about to run out when staff press Save.
    cognito_admin(stack).admin_user_global_sign_out(UserPoolId=stack.user_pool_id, Username=staff.email)
    page.clock.pause_at(time.time() + 2)
    page.clock.set_system_time(time.time() + 59 * 60 + 45)
    dialog.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("#signin-error")).to_contain_text(f"before your changes to {pet['name']} could be saved")
    status, unchanged = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)
    assert status == 200 and unchanged["price"] == pet["price"]

    # Signing in again finishes the save, with what was typed.
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#toast")).to_contain_text(f"Saved changes to {pet['name']}")
    status, saved = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)
    assert status == 200 and saved["price"] == 321.5 and saved["breed"] == "Draft Hound", saved
    assert page.evaluate("sessionStorage.getItem('petstore.draft')") is None
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)
