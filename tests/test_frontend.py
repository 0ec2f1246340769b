"""The web page in a real browser (Debian's Chromium driven by Playwright) against the local stack.

Screenshots of every test land in test-artifacts/frontend/ (gitignored).
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
    """Uncaught errors and JavaScript dialogs (alert/confirm/prompt) seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def make_page(browser: Any, stack: Any, request: pytest.FixtureRequest, problems: PageProblems) -> Iterator[Any]:
    """make_page(width=1280, height=900) -> a fresh page (own context, so own sessionStorage) at the stack's URL."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(width: int = 1280, height: int = 900, open_url: bool = True) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.errors.append(str(error)))

        def on_dialog(dialog: Any) -> None:
            problems.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        pages.append(page)
        if open_url:
            page.goto(stack.url + "/")
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


@pytest.fixture
def page(make_page: Any) -> Any:
    return make_page()


# ---------------------------------------------------------------------- helpers
def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


def sign_in_on_page(page: Any, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_and_wait(page: Any, user: Any) -> None:
    sign_in_on_page(page, user.email, user.password)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#pet-grid .pet-card:not(.skeleton)").first).to_be_visible()


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


@pytest.fixture(scope="module")
def admin_token(stack: Any) -> str:
    return sign_in(stack.url, stack.admin.email, stack.admin.password)["IdToken"]


def unique_price() -> float:
    """A price no seeded pet has, so a price-range filter finds exactly the test's pet."""
    return round(random.randint(20_000, 90_000) + random.randint(1, 98) / 100, 2)


def create_pet(stack: Any, token: str, **fields: Any) -> dict[str, Any]:
    pet = {"name": "Pixel", "type": "dog", "breed": "Beagle", "age": 2, "price": unique_price(), "status": "available"}
    pet.update(fields)
    status, body = call_api(stack, "POST", "/pets", token, pet, {"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201, body
    return body


def filter_by_price(page: Any, price: float) -> None:
    """Browse: narrow the list to one price."""
    page.get_by_label("Minimum price").fill(str(int(price)))
    page.get_by_label("Maximum price").fill(str(int(price) + 1))
    page.get_by_role("button", name="Show pets").click()


def no_horizontal_scroll(page: Any) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


# ---------------------------------------------------------------------- tests
def test_admin_adds_edits_finds_by_asking_and_deletes(page: Any, stack: Any, admin_token: str) -> None:
    sign_in_and_wait(page, stack.admin)
    expect(page.locator("#who-email")).to_have_text(stack.admin.email)
    expect(page.locator("#who-role")).to_have_text("Staff")

    name = f"Biscuit {uuid.uuid4().hex[:6]}"
    price = unique_price()
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.locator("#edit-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Type").fill("dog")
    dialog.get_by_label("Breed").fill("Beagle")
    dialog.get_by_label("Age in years").fill("1.5")
    dialog.get_by_label("Price in dollars").fill(str(price))
    dialog.get_by_role("button", name="Add pet").click()
    expect(dialog).to_be_hidden()
    card = page.locator("#pet-grid .pet-card", has_text=name)
    expect(card).to_be_visible()
    expect(card).to_contain_text("1.5 years old")
    expect(page.locator("#toast")).to_contain_text(f"{name} was added")

    # Edit: a new name and price; the page sends If-Match with the version it read.
    sent: list[dict[str, str]] = []
    page.on("request", lambda r: sent.append(r.headers) if r.method == "PATCH" else None)
    new_name = f"{name} Jr"
    card.get_by_role("button", name=f"Edit {name}").click()
    expect(dialog.get_by_label("Name")).to_have_value(name)
    dialog.get_by_label("Name").fill(new_name)
    dialog.get_by_label("Price in dollars").fill(str(price + 0.5))
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()
    card = page.locator("#pet-grid .pet-card", has_text=new_name)
    expect(card).to_be_visible()
    assert sent and sent[0].get("if-match") == '"1"', sent

    # Details show the saved values.
    card.get_by_role("button", name=new_name, exact=True).click()
    details = page.locator("#pet-dialog")
    expect(details).to_be_visible()
    expect(details.get_by_role("heading", name=new_name)).to_be_visible()
    expect(details).to_contain_text("Beagle")
    details.get_by_role("button", name="Close").click()
    expect(details).to_be_hidden()

    # Ask for it in plain words.
    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    ask.fill(f"dogs between {int(price)} and {int(price) + 2} dollars")
    ask.press("Enter")
    answer = page.locator(".turn-answer").last
    expect(answer.locator(".pet-card", has_text=new_name)).to_be_visible()
    expect(answer.locator(".chips")).to_contain_text("dog")

    # Delete it, after confirming.
    page.get_by_role("tab", name="Browse pets").click()
    card.get_by_role("button", name=f"Delete {new_name}").click()
    confirm = page.locator("#confirm-dialog")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(f"Delete {new_name}?")
    confirm.get_by_role("button", name="Delete pet").click()
    expect(confirm).to_be_hidden()
    expect(page.locator("#pet-grid .pet-card", has_text=new_name)).to_have_count(0)
    status, listing = call_api(stack, "GET", f"/pets?min_price={int(price)}&max_price={int(price) + 1}", admin_token)
    assert status == 200 and not [p for p in listing["pets"] if p["name"] == new_name], listing


def test_edit_conflict_says_the_pet_changed_and_offers_a_reload(page: Any, stack: Any, admin_token: str) -> None:
    pet = create_pet(stack, admin_token, name=f"Conflict {uuid.uuid4().hex[:6]}")
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    card = page.locator("#pet-grid .pet-card", has_text=pet["name"])
    card.get_by_role("button", name=f"Edit {pet['name']}").click()
    dialog = page.locator("#edit-dialog")
    dialog.get_by_label("Age in years").fill("3")

    # Someone else changes the pet meanwhile.
    status, changed = call_api(stack, "PATCH", f"/pets/{pet['id']}", admin_token, {"status": "pending"})
    assert status == 200 and changed["version"] == 2

    dialog.get_by_role("button", name="Save changes").click()
    error = dialog.get_by_role("alert")
    expect(error).to_contain_text("changed this pet while you were editing")
    dialog.get_by_role("button", name="Reload latest").click()
    expect(dialog.get_by_label("Status")).to_have_value("pending")
    expect(dialog.get_by_label("Age in years")).to_have_value("2")
    dialog.get_by_label("Age in years").fill("3")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()
    status, latest = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)
    assert status == 200 and latest["age"] == 3 and latest["status"] == "pending" and latest["version"] == 3
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_plain_user_sees_no_write_controls(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.user)
    expect(page.locator("#who-email")).to_have_text(stack.user.email)
    expect(page.locator("#who-role")).to_have_text("Shopper")
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "desktop-browse-shopper.png"))
    expect(page.get_by_role("button", name="Add a pet")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^(Edit|Delete)\b"))).to_have_count(0)
    page.locator("#pet-grid .pet-name").first.click()
    details = page.locator("#pet-dialog")
    expect(details).to_be_visible()
    expect(details.get_by_role("button", name=re.compile(r"Edit|Delete"))).to_have_count(0)
    details.get_by_role("button", name="Close").click()


def test_wrong_password_and_unknown_user_get_a_message(page: Any, stack: Any) -> None:
    sign_in_on_page(page, stack.admin.email, "Not-the-password-1")
    alert = page.locator("#signin-error")
    expect(alert).to_contain_text("don't match")
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    sign_in_on_page(page, f"nobody-{uuid.uuid4().hex[:6]}@example.com", "Whatever-password-1")
    expect(alert).to_contain_text("don't match")
    expect(page.get_by_label("Email")).to_be_visible()


def test_temporary_password_user_sets_a_new_one(make_page: Any, stack: Any) -> None:
    import boto3

    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    cognito = boto3.client(
        "cognito-idp", endpoint_url=stack.emulator_url, region_name=stack.region or "us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing", aws_session_token="testing",
    )
    cognito.admin_create_user(
        UserPoolId=stack.user_pool_id, Username=email, TemporaryPassword="Temporary-pass-1",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )
    page = make_page()
    sign_in_on_page(page, email, "Temporary-pass-1")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    # Two different passwords are caught before Cognito is asked.
    page.get_by_label("New password", exact=True).fill("Brand-new-pass-1")
    page.get_by_label("Confirm new password").fill("Brand-new-pass-2")
    page.get_by_role("button", name="Set new password").click()
    expect(page.locator("#newpw-error")).to_contain_text("not the same")
    page.get_by_label("Confirm new password").fill("Brand-new-pass-1")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#who-email")).to_have_text(email)

    # The new password is the one that works from now on.
    page.get_by_role("button", name="Sign out").click()
    sign_in_on_page(page, email, "Brand-new-pass-1")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_pet_name_with_markup_is_shown_as_text(page: Any, stack: Any, admin_token: str, problems: PageProblems) -> None:
    name = "<img src=x onerror=alert(1)>"
    pet = create_pet(stack, admin_token, name=name, breed="<b>bold</b>")
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    card = page.locator("#pet-grid .pet-card", has_text=name)
    expect(card).to_be_visible()
    expect(card.locator(".pet-name")).to_have_text(name)
    assert page.locator("#pet-grid img, #pet-grid b").count() == 0
    card.locator(".pet-name").click()
    expect(page.locator("#pet-dialog").get_by_role("heading", name=name)).to_be_visible()
    assert page.locator("#pet-dialog img").count() == 0
    page.locator("#pet-dialog").get_by_role("button", name="Close").click()
    expect(card.get_by_role("button", name=f"Edit {name}")).to_be_visible()
    page.wait_for_timeout(300)
    assert problems.dialogs == []
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def chips_text(answer: Any) -> str:
    return " ".join(answer.locator(".chips li").all_inner_texts())


def test_follow_up_question_refines_the_previous_answer(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    expect(ask).to_be_focused()
    ask.fill("dogs under 600")
    page.get_by_role("button", name="Send").click()
    first = page.locator(".turn-answer").nth(0)
    expect(first.locator(".chips")).to_be_visible()
    text = chips_text(first)
    assert "dog" in text and "600" in text, text
    expect(first.locator(".source")).to_have_text(re.compile("Keyword matching|Answered by AI"))
    for price in first.locator(".price").all_inner_texts():
        assert float(price.replace("$", "").replace(",", "")) < 600

    ask.fill("what about cats?")
    ask.press("Enter")
    second = page.locator(".turn-answer").nth(1)
    expect(second.locator(".chips")).to_be_visible()
    text = chips_text(second)
    assert "cat" in text and "600" in text and "dog" not in text, text
    for subtitle in second.locator(".pet-sub").all_inner_texts():
        assert subtitle.endswith("Cat"), subtitle

    # A new conversation forgets the previous filter.
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".turn-answer")).to_have_count(0)
    ask.fill("cats")
    ask.press("Enter")
    fresh = page.locator(".turn-answer").nth(0)
    expect(fresh.locator(".chips")).to_be_visible()
    assert "600" not in chips_text(fresh)


def test_browse_filters_sort_and_load_more(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.user)
    grid = page.locator("#pet-grid .pet-card:not(.skeleton)")
    if stack.seeded > 12:
        expect(grid).to_have_count(12)
        page.get_by_role("button", name="Load more").click()
        expect(grid).not_to_have_count(12)
        assert grid.count() > 12

    page.locator("label", has_text="Cats").click()
    expect(page.locator("#filter-count")).to_have_text("1 active")
    with page.expect_response(lambda r: "/pets?" in r.url and "sort=price_asc" in r.url and "type=cat" in r.url):
        page.get_by_label("Sort by").select_option("price_asc")
    expect(page.locator("#pet-grid")).to_have_attribute("aria-busy", "false")
    subtitles = page.locator("#pet-grid .pet-sub").all_inner_texts()
    assert subtitles and all(s.endswith("Cat") for s in subtitles), subtitles
    prices = [float(p.replace("$", "").replace(",", "")) for p in page.locator("#pet-grid .price").all_inner_texts()]
    assert prices == sorted(prices), prices

    # Nothing matches: an empty state in words.
    page.get_by_label("Minimum price").fill("999999")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#browse-empty")).to_contain_text("No pets match these filters")

    # A range that cannot be: said in words, nothing sent.
    page.get_by_label("Minimum price").fill("500")
    page.get_by_label("Maximum price").fill("100")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#filter-error")).to_contain_text("minimum price is higher")


def test_sign_out_forgets_the_tokens(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.user)
    stored = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))
    assert stored["idToken"] and stored["refreshToken"]
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')") is None
    page.reload()
    expect(page.get_by_label("Email")).to_be_visible()


def test_tokens_are_refreshed_before_they_expire_and_a_failed_refresh_signs_out(page: Any, stack: Any) -> None:
    flows: list[str] = []

    def watch(request: Any) -> None:
        if request.method == "POST" and "InitiateAuth" in (request.headers.get("x-amz-target") or ""):
            flows.append(json.loads(request.post_data or "{}").get("AuthFlow", ""))

    page.on("request", watch)
    sign_in_and_wait(page, stack.user)
    assert flows == ["USER_PASSWORD_AUTH"]
    old = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))

    # Pretend the ID token runs out in a few seconds: the page refreshes it before then.
    page.evaluate(f"""() => {{
        const t = JSON.parse(sessionStorage.getItem('{TOKENS_KEY}'));
        t.expiresAt = Math.floor(Date.now() / 1000) + 5;
        sessionStorage.setItem('{TOKENS_KEY}', JSON.stringify(t));
    }}""")
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.wait_for_function(f"JSON.parse(sessionStorage.getItem('{TOKENS_KEY}')).expiresAt > Date.now() / 1000 + 60")
    assert "REFRESH_TOKEN_AUTH" in flows
    new = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))
    assert new["refreshToken"] == old["refreshToken"]
    expect(page.locator("#pet-grid .pet-card:not(.skeleton)").first).to_be_visible()

    # A refresh token Cognito no longer accepts: back to the sign-in form, with a reason.
    page.evaluate(f"""() => {{
        const t = JSON.parse(sessionStorage.getItem('{TOKENS_KEY}'));
        t.expiresAt = Math.floor(Date.now() / 1000) + 5;
        t.refreshToken = 'revoked-' + t.refreshToken;
        sessionStorage.setItem('{TOKENS_KEY}', JSON.stringify(t));
    }}""")
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("#signin-error")).to_contain_text("session has ended")
    assert page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')") is None


def test_unreachable_services_give_a_message_not_a_blank_page(make_page: Any, stack: Any) -> None:
    # Cognito down: the sign-in form says so.
    page = make_page(open_url=False)
    page.route(re.compile(r".*/cognito.*"), lambda route: route.abort())
    page.goto(stack.url + "/")
    sign_in_on_page(page, stack.user.email, stack.user.password)
    expect(page.locator("#signin-error")).to_contain_text("couldn't reach the sign-in service")

    # The API down: the page explains and offers to try again.
    page = make_page(open_url=False)
    page.route(re.compile(r".*/config$"), lambda route: route.abort())
    page.goto(stack.url + "/")
    expect(page.get_by_role("alert")).to_contain_text("We can't open the store")
    page.unroute(re.compile(r".*/config$"))
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_label("Email")).to_be_visible()


def test_config_json_points_the_page_at_the_api(make_page: Any, stack: Any) -> None:
    page = make_page(open_url=False)
    seen: list[str] = []
    page.route("**/config.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"apiUrl": stack.url + "/"})))
    page.on("request", lambda r: seen.append(r.url))
    page.goto(stack.url + "/")
    expect(page.get_by_label("Email")).to_be_visible()
    assert f"{stack.url}/config" in seen, seen


def test_keyboard_order_and_visible_focus(page: Any, stack: Any) -> None:
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_be_focused()
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    page.get_by_label("Email").fill(stack.user.email)
    page.get_by_label("Password").fill(stack.user.password)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # Tabs follow the ARIA pattern: arrow keys move between them.
    page.get_by_role("tab", name="Browse pets").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Find a match")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("textbox", name="Ask")).to_be_visible()


def test_phone_width_has_no_horizontal_scroll(make_page: Any, stack: Any, admin_token: str) -> None:
    pet = create_pet(stack, admin_token, name="Maximilian-Wolfgang-Bartholomew-the-Third", breed="Extraordinarily Long Breed Name")
    page = make_page(375, 812)
    expect(page.get_by_label("Email")).to_be_visible()
    assert no_horizontal_scroll(page) <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-sign-in.png"), full_page=True)
    sign_in_and_wait(page, stack.admin)
    assert no_horizontal_scroll(page) <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-browse.png"))

    page.get_by_text("Filters", exact=True).click()
    filter_by_price(page, pet["price"])
    expect(page.locator("#pet-grid .pet-card", has_text=pet["name"])).to_be_visible()
    assert no_horizontal_scroll(page) <= 375
    page.locator("#pet-grid .pet-name").first.click()
    expect(page.locator("#pet-dialog")).to_be_visible()
    assert no_horizontal_scroll(page) <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-details.png"))
    page.locator("#pet-dialog").get_by_role("button", name="Close").click()

    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    ask.fill("cheap dogs under 600")
    ask.press("Enter")
    expect(page.locator(".turn-answer .chips")).to_be_visible()
    assert no_horizontal_scroll(page) <= 375
    page.wait_for_timeout(600)  # the page scrolls the new answer into view
    page.screenshot(path=str(ARTIFACTS / "phone-ask.png"))
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_screenshots_of_the_main_views(make_page: Any, stack: Any) -> None:
    """Wide screenshots for people to look at (test-artifacts/frontend/desktop-*.png)."""
    page = make_page(1280, 860)
    expect(page.get_by_label("Email")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "desktop-sign-in.png"))
    sign_in_and_wait(page, stack.admin)
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / "desktop-browse.png"))
    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    for question in ("dogs under $600", "what about cats?"):
        ask.fill(question)
        ask.press("Enter")
        expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(1 if question.startswith("dogs") else 2)
    page.wait_for_timeout(600)  # the page scrolls the new answer into view
    page.screenshot(path=str(ARTIFACTS / "desktop-ask.png"))
