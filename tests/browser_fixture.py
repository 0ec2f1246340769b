"""The web page in a real browser (Debian's Chromium driven by Playwright) against the local stack.

Fixtures (one Chromium for the whole session, a fresh context per page so each has its own sessionStorage):

    def test_something(make_page, stack, viewport):
        page = make_page(*viewport)          # opened at the stack's URL
        sign_in_and_wait(page, stack.user)

Every page runs under the page's Content-Security-Policy; a test fails when a page reported a CSP violation, an
uncaught error, or opened a JavaScript dialog. Screenshots of every test land in test-artifacts/frontend/.
"""

from __future__ import annotations

import json
import os
import random
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.stack_fixture import sign_in

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "frontend"
TIMEOUT_MS = 20_000
TOKENS_KEY = "petstore.auth"
DESKTOP = (1366, 900)
PHONE = (390, 844)

# Reports every CSP violation the page sees to the test (init scripts and bindings are not subject to the CSP).
_CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__petstoreCsp(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} (${e.sourceFile || '?'}:${e.lineNumber})`);
});
"""


# ---------------------------------------------------------------------- browser fixtures
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageProblems:
    """Uncaught errors, JavaScript dialogs (alert/confirm/prompt) and CSP violations seen by the pages of a test."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.csp: list[str] = []


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest) -> tuple[int, int]:
    """(width, height): each test that takes it runs at desktop 1366×900 and phone 390×844."""
    return request.param


@pytest.fixture
def make_page(browser: Any, stack: Any, request: pytest.FixtureRequest, problems: PageProblems) -> Iterator[Any]:
    """make_page(width, height, open_url=True, base_url=stack.url, path="/") -> a fresh page in its own context."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(width: int = DESKTOP[0], height: int = DESKTOP[1], open_url: bool = True,
             base_url: str | None = None, path: str = "/") -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        context.expose_function("__petstoreCsp", lambda text: problems.csp.append(text))
        context.add_init_script(_CSP_REPORTER)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.errors.append(str(error)))
        page.on("console", lambda message: problems.csp.append(message.text)
                if "Content Security Policy" in message.text else None)

        def on_dialog(dialog: Any) -> None:
            problems.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        pages.append(page)
        if open_url:
            page.goto((base_url or stack.url) + path)
        return page

    yield make
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for index, page in enumerate(pages):
        suffix = f"-{index + 1}" if len(pages) > 1 else ""
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - a screenshot must not hide the test's own outcome
            pass
    for context in contexts:
        context.close()
    assert not problems.errors, f"uncaught errors in the page: {problems.errors}"
    assert not problems.csp, f"Content-Security-Policy violations: {problems.csp}"


@pytest.fixture
def page(make_page: Any) -> Any:
    return make_page()


@pytest.fixture(scope="module")
def admin_token(stack: Any) -> str:
    return sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"]


# ---------------------------------------------------------------------- helpers
def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


def sign_in_on_page(page: Any, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def cards(page: Any, where: str = "#pet-grid") -> Any:
    return page.locator(f"{where} .pet-card:not(.skeleton)")


def wait_for_grid(page: Any) -> None:
    expect(page.locator("#pet-grid")).to_have_attribute("aria-busy", "false")


def sign_in_and_wait(page: Any, user: Any, *, grid: bool = True) -> None:
    sign_in_on_page(page, user.email, user.password)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    if grid:
        expect(cards(page).first).to_be_visible()


def call_api(stack: Any, method: str, path: str, token: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        stack.url + path, data=data, method=method,
        headers={"Authorization": token, "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - loopback
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as exc:
        text = exc.read()
        return exc.code, json.loads(text) if text else None


def cognito_admin(stack: Any) -> Any:
    """boto3's Cognito client on the stack's emulator, for what an administrator would do in the console."""
    import boto3

    return boto3.client("cognito-idp", endpoint_url=stack.emulator_url, region_name=stack.region or "us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing", aws_session_token="testing")


def new_user(stack: Any, *, admin: bool = False, password: str = "Own-password-12", temporary: bool = False) -> Any:
    """A user of its own (so what a test does to it touches no other test): a DemoUser (email, password, groups)."""
    from petstore_dev.cognito import DemoUser

    email = f"{'staff' if admin else 'shopper'}-{uuid.uuid4().hex[:8]}@example.com"
    cognito = cognito_admin(stack)
    cognito.admin_create_user(
        UserPoolId=stack.user_pool_id, Username=email, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        **({"TemporaryPassword": password} if temporary else {}),
    )
    if not temporary:
        cognito.admin_set_user_password(UserPoolId=stack.user_pool_id, Username=email, Password=password, Permanent=True)
    if admin:
        cognito.admin_add_user_to_group(UserPoolId=stack.user_pool_id, Username=email, GroupName="admins")
    return DemoUser(email, password, ("admins",) if admin else ())


def unique_price() -> float:
    """A price no seeded pet has, so a price-range filter finds exactly the test's pet."""
    return round(random.randint(20_000, 90_000) + random.randint(1, 98) / 100, 2)


def create_pet(stack: Any, token: str, **fields: Any) -> dict[str, Any]:
    pet = {"name": "Pixel", "type": "dog", "breed": "Beagle", "age": 2, "price": unique_price(), "status": "available"}
    pet.update(fields)
    status, body = call_api(stack, "POST", "/pets", token, pet, {"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, body
    return body


def delete_pets(stack: Any, token: str, pets: list[dict[str, Any]]) -> None:
    for pet in pets:
        call_api(stack, "DELETE", f"/pets/{pet['id']}", token)


def open_filters(page: Any) -> None:
    """On a phone the filter panel starts folded: unfold it."""
    box = page.locator("#filters-box")
    if box.get_attribute("open") is None:
        page.locator("#filters-box > summary").click()


def filter_by_price(page: Any, price: float, upper: float | None = None) -> None:
    """Browse: narrow the list to one price (or a band)."""
    open_filters(page)
    page.get_by_label("Minimum price").fill(str(int(price)))
    page.get_by_label("Maximum price").fill(str(int(upper if upper is not None else price + 1)))
    page.get_by_role("button", name="Show pets").click()
    wait_for_grid(page)


def no_horizontal_scroll(page: Any) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def hash_params(page: Any) -> tuple[str, dict[str, list[str]]]:
    """(view, params) of the page's URL fragment."""
    from urllib.parse import parse_qs, urlsplit

    fragment = urlsplit(page.url).fragment
    path, _, query = fragment.partition("?")
    return path.strip("/"), parse_qs(query)


def in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


def axe_problems(page: Any, label: str) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
            found.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def focused(page: Any) -> str:
    """A short description of the focused element."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return 'body';
        return `${el.tagName.toLowerCase()}#${el.id}|${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60)}`;
    }""")
