"""The web page in a real browser (Debian's Chromium driven by Playwright) against the local stack: the main
journeys of staff and shoppers. Fixtures and helpers: tests/browser_fixture.py; more of the page in
tests/test_page_*.py. Screenshots of every test land in test-artifacts/frontend/ (gitignored).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from tests.browser_fixture import (
    ARTIFACTS,
    axe_problems,
    TOKENS_KEY,
    PageProblems,
    call_api,
    cards,
    cognito_admin,
    create_pet,
    expect,
    filter_by_price,
    new_user,
    no_horizontal_scroll,
    open_filters,
    sign_in_and_wait,
    sign_in_on_page,
    unique_price,
    wait_for_grid,
)


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
    dialog.get_by_label("Age", exact=True).fill("18")
    dialog.get_by_label("Age in", exact=True).select_option("months")
    dialog.get_by_label("Price in dollars").fill(str(price))
    dialog.get_by_role("button", name="Add pet").click()
    expect(dialog).to_be_hidden()
    card = page.locator("#pet-grid .pet-card", has_text=name)
    expect(card).to_be_visible()
    expect(card).to_contain_text("1.5 years old")
    expect(card.get_by_role("button", name=name, exact=True)).to_be_focused()
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
    dialog.get_by_label("Age", exact=True).fill("3")

    # Someone else changes the pet meanwhile.
    status, changed = call_api(stack, "PATCH", f"/pets/{pet['id']}", admin_token, {"status": "pending"})
    assert status == 200 and changed["version"] == 2

    dialog.get_by_role("button", name="Save changes").click()
    error = dialog.get_by_role("alert")
    expect(error).to_contain_text("changed this pet while you were editing")
    dialog.get_by_role("button", name="Reload latest").click()
    expect(dialog.get_by_label("Status")).to_have_value("pending")
    expect(dialog.get_by_label("Age", exact=True)).to_have_value("2")
    dialog.get_by_label("Age", exact=True).fill("3")
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
    expect(page.locator("#newpw-confirm-error")).to_contain_text("not the same")
    expect(page.get_by_label("Confirm new password")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Confirm new password")).to_be_focused()
    assert not axe_problems(page, "choose a new password")
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
    expect(first.locator(".source")).to_have_text(re.compile("Quick match|Smart search"))
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
    grid = cards(page)
    expect(grid).to_have_count(12)
    page.get_by_role("button", name="Load more").click()
    expect(grid).not_to_have_count(12)
    assert grid.count() > 12
    # Shoppers see the pets they can have, cheapest first, and the page says so.
    expect(page.locator("#f-status")).to_have_value("available")
    expect(page.locator("#results-order")).to_have_text("Available only · cheapest first")
    assert set(page.locator("#pet-grid .status").all_inner_texts()) == {"Available"}
    prices = [float(p.replace("$", "").replace(",", "")) for p in page.locator("#pet-grid .price").all_inner_texts()]
    assert prices == sorted(prices), prices

    page.locator("#type-options label", has_text="Cats").click()
    expect(page.locator("#filter-count")).to_have_text("1 active")
    with page.expect_response(lambda r: "/pets?" in r.url and "sort=price_desc" in r.url and "type=cat" in r.url):
        page.get_by_label("Sort by").select_option("price_desc")
    wait_for_grid(page)
    subtitles = page.locator("#pet-grid .pet-sub").all_inner_texts()
    assert subtitles and all(s.endswith("Cat") for s in subtitles), subtitles
    prices = [float(p.replace("$", "").replace(",", "")) for p in page.locator("#pet-grid .price").all_inner_texts()]
    assert prices == sorted(prices, reverse=True), prices

    # Nothing matches: an empty state in words.
    page.get_by_label("Minimum price").fill("999999")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#browse-empty")).to_contain_text("No pets match these filters")

    # A range that cannot be: said beside the fields, nothing sent.
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/pets?" in r.url else None)
    page.get_by_label("Minimum price").fill("500")
    page.get_by_label("Maximum price").fill("100")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#f-price-error")).to_contain_text("minimum price is higher")
    assert sent == []


def test_sign_out_forgets_the_tokens_and_the_refresh_token_is_never_stored(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.user)
    stored = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))
    assert stored["idToken"] and "refreshToken" not in stored
    everything = page.evaluate("JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage}) + document.cookie")
    assert stored["idToken"] in everything and "refresh" not in everything.lower(), everything[:200]
    # A reload keeps the user signed in (the ID token is still valid).
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')") is None
    page.reload()
    expect(page.get_by_label("Email")).to_be_visible()


def test_tokens_are_refreshed_before_they_expire_and_a_failed_refresh_signs_out(make_page: Any, stack: Any) -> None:
    page = make_page(open_url=False)
    page.clock.install()
    flows: list[str] = []

    def watch(request: Any) -> None:
        if request.method == "POST" and "InitiateAuth" in (request.headers.get("x-amz-target") or ""):
            flows.append(json.loads(request.post_data or "{}").get("AuthFlow", ""))

    page.on("request", watch)
    page.goto(stack.url + "/")
    user = new_user(stack)
    sign_in_and_wait(page, user)
    assert flows == ["USER_PASSWORD_AUTH"]
    old = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))

    # 59 minutes later the ID token is about to run out: the page has refreshed it with the refresh token it
    # holds in memory.
    page.clock.run_for("59:00")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    new = old
    for _ in range(100):
        new = json.loads(page.evaluate(f"sessionStorage.getItem('{TOKENS_KEY}')"))
        if new["expiresAt"] > old["expiresAt"]:
            break
        page.wait_for_timeout(50)
    assert "REFRESH_TOKEN_AUTH" in flows, flows
    assert new["expiresAt"] >= old["expiresAt"] + 58 * 60, (old["expiresAt"], new["expiresAt"])
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Cognito no longer accepts the refresh token (signed out everywhere): back to the sign-in form, with a reason.
    cognito_admin(stack).admin_user_global_sign_out(UserPoolId=stack.user_pool_id, Username=user.email)
    page.clock.run_for("59:00")
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
    expect(page.locator("#signin-form .reveal")).to_be_focused()
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
    expect(page.get_by_role("tab", name="Find a match")).to_be_focused()
    expect(page.get_by_role("textbox", name="Ask")).to_be_visible()


def test_phone_width_has_no_horizontal_scroll(make_page: Any, stack: Any, admin_token: str) -> None:
    pet = create_pet(stack, admin_token, name="Maximilian-Wolfgang-Bartholomew-the-Third", breed="Extraordinarily Long Breed Name")
    page = make_page(390, 844)
    expect(page.get_by_label("Email")).to_be_visible()
    assert no_horizontal_scroll(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-sign-in.png"), full_page=True)
    sign_in_and_wait(page, stack.admin)
    assert no_horizontal_scroll(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-browse.png"))

    filter_by_price(page, pet["price"])
    expect(page.locator("#pet-grid .pet-card", has_text=pet["name"])).to_be_visible()
    assert no_horizontal_scroll(page) <= 390
    page.locator("#pet-grid .pet-name").first.click()
    expect(page.locator("#pet-dialog")).to_be_visible()
    assert no_horizontal_scroll(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-details.png"))
    page.locator("#pet-dialog").get_by_role("button", name="Close").click()

    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    ask.fill("cheap dogs under 600")
    ask.press("Enter")
    expect(page.locator(".turn-answer .chips")).to_be_visible()
    assert no_horizontal_scroll(page) <= 390
    page.wait_for_timeout(600)  # the page scrolls the new answer into view
    page.screenshot(path=str(ARTIFACTS / "phone-ask.png"))
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_screenshots_of_the_main_views(make_page: Any, stack: Any) -> None:
    """Wide screenshots for people to look at (test-artifacts/frontend/desktop-*.png)."""
    page = make_page(1366, 900)
    expect(page.get_by_label("Email")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "desktop-sign-in.png"))
    sign_in_and_wait(page, stack.admin)
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / "desktop-browse.png"))
    page.get_by_role("tab", name="Find a match").click()
    ask = page.get_by_role("textbox", name="Ask")
    for count, question in enumerate(("dogs under $600", "what about cats?"), start=1):
        ask.fill(question)
        ask.press("Enter")
        expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(count)
    page.wait_for_timeout(600)  # the page scrolls the new answer into view
    page.screenshot(path=str(ARTIFACTS / "desktop-ask.png"))
