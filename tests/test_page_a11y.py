"""Accessibility of the page in a real browser: an axe-core pass on every view, focus that goes into dialogs and
back, errors beside their fields, headings in order, a title that follows the view, and the phone layout."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser_fixture import (
    axe_problems,
    cards,
    create_pet,
    delete_pets,
    expect,
    filter_by_price,
    focused,
    open_filters,
    sign_in_and_wait,
    wait_for_grid,
)


def ask(page: Any, question: str, answers: int) -> None:
    box = page.get_by_role("textbox", name="Ask")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(answers)


def test_no_serious_accessibility_problems_on_any_view(make_page: Any, stack: Any, viewport: tuple[int, int]) -> None:
    found: list[str] = []
    page = make_page(*viewport)
    expect(page.get_by_label("Email")).to_be_visible()
    found += axe_problems(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()  # errors beside the empty fields
    expect(page.locator("#signin-email-error")).to_be_visible()
    found += axe_problems(page, "sign-in with errors")
    page.get_by_role("button", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    found += axe_problems(page, "forgot password")
    page.get_by_role("button", name="Back to sign-in").click()

    sign_in_and_wait(page, stack.admin)
    found += axe_problems(page, "browse (staff)")
    open_filters(page)
    page.get_by_label("Minimum price").fill("9")
    page.get_by_label("Maximum price").fill("1")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#f-price-error")).to_be_visible()
    found += axe_problems(page, "filters with errors")
    page.get_by_role("button", name="Clear filters").click()
    wait_for_grid(page)
    expect(page.get_by_label("Minimum price")).to_have_value("")
    expect(page.locator("#f-price-error")).to_be_hidden()

    page.locator("#pet-grid .pet-name").first.click()
    expect(page.locator("#pet-dialog")).to_be_visible()
    found += axe_problems(page, "pet details")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Add a pet").click()
    page.locator("#edit-dialog").get_by_role("button", name="Add pet").click()
    expect(page.locator("#e-name-error")).to_be_visible()
    found += axe_problems(page, "add a pet with errors")
    page.keyboard.press("Escape")

    page.locator("#pet-grid .pet-card").first.get_by_role("button", name=re.compile("^Delete ")).click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    found += axe_problems(page, "confirm delete")
    page.keyboard.press("Escape")

    page.get_by_role("tab", name="Find a match").click()
    found += axe_problems(page, "ask (empty)")
    ask(page, "dogs under $600", 1)
    ask(page, "what about cats?", 2)
    found += axe_problems(page, "ask with answers")

    shopper = make_page(*viewport)
    sign_in_and_wait(shopper, stack.user)
    found += axe_problems(shopper, "browse (shopper)")
    assert not found, "\n".join(found)


def test_the_store_error_view_is_accessible(make_page: Any, stack: Any) -> None:
    page = make_page(open_url=False)
    page.route(re.compile(r".*/config$"), lambda route: route.abort())
    page.goto(stack.url + "/")
    expect(page.get_by_role("button", name="Try again")).to_be_focused()
    expect(page).to_have_title("Can't open the store · PetStore")
    assert not axe_problems(page, "boot error")


def test_dialog_focus_goes_in_and_comes_back(make_page: Any, stack: Any, admin_token: str,
                                            viewport: tuple[int, int]) -> None:
    pet = create_pet(stack, admin_token, name=f"Focus {uuid.uuid4().hex[:5]}")
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    card = page.locator("#pet-grid .pet-card", has_text=pet["name"])
    name_button = card.get_by_role("button", name=pet["name"], exact=True)
    name_button.click()
    dialog = page.locator("#pet-dialog")
    expect(dialog.get_by_role("heading", name=pet["name"])).to_be_visible()
    # Focus is in the dialog, and stays on the same control when the details refresh.
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.wait_for_timeout(300)
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(focused(page).split("|")[1])
    assert order == ["Copy link", "Delete", "Edit"], order
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Delete")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(name_button).to_be_focused()

    # The form: focus on its first field, and back on what opened it.
    add = page.get_by_role("button", name="Add a pet")
    add.click()
    expect(page.locator("#edit-dialog").get_by_label("Name")).to_be_focused()
    page.keyboard.press("Escape")
    expect(add).to_be_focused()

    # Delete from the details: focus lands on the card that takes its place, or the results heading.
    name_button.click()
    dialog.get_by_role("button", name="Delete").click()
    confirm = page.locator("#confirm-dialog")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Delete pet").click()
    expect(confirm).to_be_hidden()
    expect(card).to_have_count(0)
    expect(page.locator("#results-summary")).to_be_focused()
    expect(page.locator("#toast")).to_contain_text(f"{pet['name']} was removed")


def test_focus_after_a_delete_goes_to_the_next_card(make_page: Any, stack: Any, admin_token: str) -> None:
    low = 70_000 + (uuid.uuid4().int % 9_000) * 2
    pets = [create_pet(stack, admin_token, name=f"Row {i} {uuid.uuid4().hex[:4]}", price=low + i / 10) for i in range(3)]
    page = make_page()
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, low, low + 1)
    expect(cards(page)).to_have_count(3)
    page.get_by_role("button", name=f"Delete {pets[1]['name']}").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Delete pet").click()
    expect(page.locator("#pet-grid").get_by_role("button", name=pets[2]["name"], exact=True)).to_be_focused()
    page.get_by_role("button", name=f"Delete {pets[2]['name']}").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Delete pet").click()
    expect(page.locator("#pet-grid").get_by_role("button", name=pets[0]["name"], exact=True)).to_be_focused()
    # Cancelling puts focus back on the button that asked.
    delete = page.get_by_role("button", name=f"Delete {pets[0]['name']}")
    delete.click()
    page.keyboard.press("Escape")
    expect(delete).to_be_focused()
    delete_pets(stack, admin_token, pets)


def test_the_pet_form_shows_each_error_beside_its_field(make_page: Any, stack: Any, admin_token: str,
                                                       viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.admin)
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.locator("#edit-dialog")
    submit = dialog.get_by_role("button", name="Add pet")
    submit.click()
    fields = {"name": dialog.get_by_label("Name"), "type": dialog.get_by_label("Type"),
              "age": dialog.get_by_label("Age", exact=True), "price": dialog.get_by_label("Price in dollars")}
    for key, field in fields.items():
        expect(field).to_have_attribute("aria-invalid", "true")
        error = page.locator(f"#e-{key}-error")
        expect(error).to_be_visible()
        assert f"e-{key}-error" in (field.get_attribute("aria-describedby") or "").split()
    expect(dialog.get_by_label("Breed")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#edit-error")).to_have_text("4 details need fixing before the pet can be saved.")
    expect(fields["name"]).to_be_focused()

    name = f"Fixit {uuid.uuid4().hex[:5]}"
    fields["name"].fill(name)
    fields["type"].fill("dog2")
    fields["age"].fill("-1")
    fields["price"].fill("12.5")
    submit.click()
    expect(fields["type"]).to_be_focused()
    expect(page.locator("#e-type-error")).to_contain_text("word of letters")
    expect(page.locator("#e-age-error")).to_have_text("Age can't be below 0.")
    expect(fields["name"]).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-name-error")).to_be_hidden()

    fields["type"].fill("dog")
    fields["age"].fill("3")
    dialog.get_by_label("Age in", exact=True).select_option("months")
    submit.click()
    expect(dialog).to_be_hidden()
    created = page.locator("#pet-grid .pet-card", has_text=name)
    expect(created).to_contain_text("3 months old")
    created.get_by_role("button", name=f"Delete {name}").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Delete pet").click()
    expect(created).to_have_count(0)


def test_headings_are_in_order_and_the_title_follows_the_view(make_page: Any, stack: Any) -> None:
    outline = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter((el) => el.offsetParent !== null || el.closest('dialog[open]'))
        .map((el) => Number(el.tagName[1]))"""

    def assert_in_order(levels: list[int], where: str) -> None:
        assert levels and levels[0] == 1, (where, levels)
        jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert not jumps, (where, levels)

    page = make_page()
    expect(page).to_have_title("Sign in · PetStore")
    assert_in_order(page.evaluate(outline), "sign-in")
    sign_in_and_wait(page, stack.user)
    expect(page).to_have_title("Browse pets · PetStore")
    assert_in_order(page.evaluate(outline), "browse")
    page.get_by_role("tab", name="Find a match").click()
    expect(page).to_have_title("Find a match · PetStore")
    ask(page, "cheap cats", 1)
    assert_in_order(page.evaluate(outline), "ask")
    first = page.locator(".turn-answer .pet-name").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_title(f"{name} · PetStore")
    page.keyboard.press("Escape")
    expect(page).to_have_title("Find a match · PetStore")


def test_phone_layout_placeholder_and_answer_rows(make_page: Any, stack: Any) -> None:
    measure = """(el) => {
        const s = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        return [ctx.measureText(el.placeholder).width, el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)];
    }"""
    rows = """() => {
        const tops = {};
        for (const card of document.querySelectorAll('.turn-answer .pet-card')) {
            const top = Math.round(card.getBoundingClientRect().top);
            tops[top] = (tops[top] || 0) + 1;
        }
        return Object.values(tops);
    }"""
    for width, height, per_row in ((390, 844, 1), (1366, 900, 3)):
        page = make_page(width, height)
        sign_in_and_wait(page, stack.user)
        page.get_by_role("tab", name="Find a match").click()
        text_width, room = page.get_by_role("textbox", name="Ask").evaluate(measure)
        assert text_width <= room, f"the question box's placeholder is cut off at {width}px: {text_width} > {room}"
        ask(page, "cheapest pets", 1)
        expect(page.locator(".turn-answer .pet-card")).to_have_count(6)
        counts = page.evaluate(rows)
        assert counts == [per_row] * (6 // per_row), (width, counts)


@pytest.mark.parametrize("width", [390])
def test_the_sign_in_form_says_what_is_missing_beside_each_field(make_page: Any, stack: Any, width: int) -> None:
    page = make_page(width, 844)
    page.get_by_role("button", name="Sign in").click()
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#signin-email-error")).to_have_text("Enter your email address.")
    expect(page.locator("#signin-password-error")).to_have_text("Enter your password.")
    expect(email).to_be_focused()
    email.fill("someone")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signin-email-error")).to_contain_text("name@example.com")
