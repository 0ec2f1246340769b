"""Reserving on the page, in a real browser against the local stack: a shopper reserves and cancels, finds the
pet under "My reservations" (#/reservations), another shopper sees it reserved and loses a race with a clear
message, staff see who holds it and release it or confirm the adoption; axe on each view, at desktop and phone
sizes."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.browser_fixture import (
    axe_problems,
    call_api,
    cards,
    create_pet,
    expect,
    filter_by_price,
    hash_params,
    new_user,
    no_horizontal_scroll,
    sign_in_and_wait,
)
from tests.stack_fixture import sign_in


def token(stack: Any, user: Any) -> str:
    return sign_in(stack.url, user.email, user.password)["IdToken"]


def close_dialog(page: Any) -> None:
    page.keyboard.press("Escape")
    expect(page.locator("#pet-dialog")).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"[?&]pet="))  # closing goes Back in history: let it land first


def open_pet(page: Any, pet: dict[str, Any]) -> Any:
    page.locator("#pet-grid .pet-card", has_text=pet["name"]).get_by_role("button", name=pet["name"], exact=True).click()
    dialog = page.locator("#pet-dialog")
    expect(dialog.get_by_role("heading", name=pet["name"])).to_be_visible()
    return dialog


def test_a_shopper_reserves_finds_it_in_my_reservations_and_cancels(make_page: Any, stack: Any, admin_token: str,
                                                                   viewport: tuple[int, int]) -> None:
    shopper = new_user(stack)
    pet = create_pet(stack, admin_token, name=f"Clover {uuid.uuid4().hex[:4]}")
    page = make_page(*viewport)
    sign_in_and_wait(page, shopper)
    filter_by_price(page, pet["price"])
    dialog = open_pet(page, pet)
    reserve = dialog.get_by_role("button", name="Reserve")
    expect(reserve).to_be_visible()
    problems = axe_problems(page, "details with Reserve")
    reserve.click()

    expect(dialog.get_by_role("status")).to_contain_text(f"{pet['name']} is reserved for you until")
    expect(dialog.get_by_role("button", name="Cancel reservation")).to_be_focused()
    expect(dialog.locator(".fact", has_text="Status")).to_contain_text("Reserved for you until")
    expect(dialog.get_by_role("button", name="Reserve")).to_have_count(0)
    problems += axe_problems(page, "details reserved")
    stored = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]
    assert stored["status"] == "pending" and stored["reservation"]["holder"] == shopper.email
    close_dialog(page)
    # Shoppers browse available pets: the reserved one left the list.
    expect(cards(page).filter(has_text=pet["name"])).to_have_count(0)

    page.get_by_role("tab", name="My reservations").click()
    assert hash_params(page)[0] == "reservations"
    expect(page).to_have_title("My reservations · PetStore")
    mine = page.locator("#reservation-grid .pet-card")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text(pet["name"])
    expect(mine.first.locator(".pet-reservation")).to_contain_text("Reserved for you until")
    expect(mine.first.locator(".status")).to_have_text("Reserved for you")
    expect(page.get_by_role("heading", name="My reservations (1)")).to_be_visible()
    problems += axe_problems(page, "my reservations")
    assert no_horizontal_scroll(page) <= viewport[0]

    page.reload()  # the view is in the URL
    expect(page.locator("#reservation-grid .pet-card")).to_have_count(1)
    expect(page.get_by_role("tab", name="My reservations")).to_have_attribute("aria-selected", "true")

    page.get_by_role("button", name=f"Cancel reservation of {pet['name']}").click()
    expect(page.locator("#reservation-grid .pet-card")).to_have_count(0)
    expect(page.locator("#reservations-empty")).to_contain_text("You have no reservations.")
    expect(page.locator("#reservations-summary")).to_be_focused()
    expect(page.locator("#toast")).to_contain_text(f"{pet['name']} is available again")
    problems += axe_problems(page, "my reservations, empty")
    assert call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]["status"] == "available"
    assert not problems, "\n".join(problems)


def test_cancel_from_the_details_and_the_tabs_by_keyboard(make_page: Any, stack: Any, admin_token: str) -> None:
    shopper = new_user(stack)
    pet = create_pet(stack, admin_token, name=f"Pip {uuid.uuid4().hex[:4]}")
    assert call_api(stack, "POST", f"/pets/{pet['id']}/reservation", token(stack, shopper))[0] == 201
    page = make_page()
    sign_in_and_wait(page, shopper)
    page.get_by_role("tab", name="Browse pets").focus()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="My reservations")).to_be_focused()
    expect(page.locator("#reservation-grid .pet-card")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Browse pets")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="My reservations")).to_be_focused()

    page.locator("#reservation-grid").get_by_role("button", name=pet["name"], exact=True).click()
    dialog = page.locator("#pet-dialog")
    assert hash_params(page) == ("reservations", {"pet": [pet["id"]]})
    expect(dialog.get_by_text(f"{pet['name']} is reserved for you until")).to_be_visible()
    dialog.get_by_role("button", name="Cancel reservation").click()
    expect(dialog.get_by_role("status")).to_have_text(f"Your reservation is cancelled: {pet['name']} is available again.")
    expect(dialog.get_by_role("button", name="Reserve")).to_be_focused()
    close_dialog(page)
    expect(page.locator("#reservation-grid .pet-card")).to_have_count(0)


def test_another_shopper_sees_reserved_and_loses_a_race_with_a_clear_message(make_page: Any, stack: Any, admin_token: str,
                                                                             viewport: tuple[int, int]) -> None:
    first, second = new_user(stack), new_user(stack)
    pet = create_pet(stack, admin_token, name=f"Maple {uuid.uuid4().hex[:4]}")
    page = make_page(*viewport)
    sign_in_and_wait(page, second)
    filter_by_price(page, pet["price"])
    dialog = open_pet(page, pet)
    expect(dialog.get_by_role("button", name="Reserve")).to_be_visible()
    # Meanwhile the first shopper reserves it.
    assert call_api(stack, "POST", f"/pets/{pet['id']}/reservation", token(stack, first))[0] == 201
    dialog.get_by_role("button", name="Reserve").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text(f"{pet['name']} is already reserved by another shopper")
    expect(dialog.locator(".fact", has_text="Status")).to_contain_text("Reserved")
    expect(dialog.locator(".fact", has_text="Status")).not_to_contain_text(first.email)
    expect(dialog.get_by_role("button", name="Reserve")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Cancel reservation")).to_have_count(0)
    problems = axe_problems(page, "details after a lost race")
    close_dialog(page)

    # With every status shown, the card says it is reserved, and by whom it doesn't say.
    page.goto(f"{stack.url}/#/browse?status=any&min_price={int(pet['price'])}&max_price={int(pet['price']) + 1}")
    card = page.locator("#pet-grid .pet-card", has_text=pet["name"])
    expect(card.locator(".status")).to_have_text("Reserved")
    expect(card.locator(".pet-reservation")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_staff_see_who_holds_it_release_it_and_confirm_the_adoption(make_page: Any, stack: Any, admin_token: str,
                                                                    viewport: tuple[int, int]) -> None:
    shopper = new_user(stack)
    shopper_token = token(stack, shopper)
    pet = create_pet(stack, admin_token, name=f"Juniper {uuid.uuid4().hex[:4]}")
    assert call_api(stack, "POST", f"/pets/{pet['id']}/reservation", shopper_token)[0] == 201
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    card = page.locator("#pet-grid .pet-card", has_text=pet["name"])
    expect(card.locator(".pet-reservation")).to_contain_text(f"Reserved by {shopper.email} until")
    dialog = open_pet(page, pet)
    expect(dialog.locator(".fact", has_text="Status")).to_contain_text(f"Reserved by {shopper.email} until")
    expect(dialog.get_by_role("button", name="Reserve")).to_have_count(0)
    problems = axe_problems(page, "staff details of a reserved pet")
    dialog.get_by_role("button", name="Release reservation").click()
    expect(dialog.get_by_role("status")).to_have_text(f"The reservation is released: {pet['name']} is available again.")
    expect(dialog.locator(".fact", has_text="Status")).to_contain_text("Available")
    expect(card.locator(".status")).to_have_text("Available")
    assert call_api(stack, "GET", "/me/reservations", shopper_token)[1] == {"pets": []}

    assert call_api(stack, "POST", f"/pets/{pet['id']}/reservation", shopper_token)[0] == 201
    close_dialog(page)
    dialog = open_pet(page, pet)
    expect(dialog.get_by_role("button", name="Confirm adoption")).to_be_visible()
    dialog.get_by_role("button", name="Confirm adoption").click()
    expect(dialog.get_by_role("status")).to_have_text(f"{pet['name']} is adopted. Congratulations to the new family!")
    expect(dialog.locator(".fact", has_text="Status")).to_contain_text("Adopted")
    expect(dialog.get_by_role("button", name=re.compile("Confirm adoption|Release reservation"))).to_have_count(0)
    expect(card.locator(".status")).to_have_text("Adopted")
    problems += axe_problems(page, "staff details after the adoption")
    assert call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]["status"] == "adopted"
    assert not problems, "\n".join(problems)


def test_a_confirmation_on_a_pet_changed_meanwhile_says_so_and_shows_it_as_it_is(make_page: Any, stack: Any,
                                                                                 admin_token: str) -> None:
    shopper = new_user(stack)
    pet = create_pet(stack, admin_token, name=f"Hazel {uuid.uuid4().hex[:4]}")
    assert call_api(stack, "POST", f"/pets/{pet['id']}/reservation", token(stack, shopper))[0] == 201
    page = make_page()
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    dialog = open_pet(page, pet)
    expect(dialog.get_by_role("button", name="Confirm adoption")).to_be_visible()
    assert call_api(stack, "PATCH", f"/pets/{pet['id']}", admin_token, {"price": pet["price"] + 0.5})[0] == 200
    dialog.get_by_role("button", name="Confirm adoption").click()
    expect(dialog.get_by_role("alert")).to_contain_text("changed meanwhile")
    expect(dialog.locator(".fact", has_text="Price")).to_contain_text(f"{pet['price'] + 0.5:,.2f}".rstrip("0").rstrip("."))
    assert call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]["status"] == "pending", "nothing adopted"


def test_reservation_helpers_in_the_browser(browser: Any, stack: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(stack.url + "/")
    try:
        found = page.evaluate("""async () => {
            const r = await import('./js/reserving.js');
            const soon = new Date(Date.now() + 3600e3).toISOString(), past = new Date(Date.now() - 1000).toISOString();
            const pet = (reservation, status = 'pending') => ({ status, reservation });
            const shopper = { email: 'me@example.com', isAdmin: false }, staff = { email: 'boss@example.com', isAdmin: true };
            const text = (p, who) => r.reservationText(r.reservationOf(p, who), who);
            return {
                mine: text(pet({ holder: 'me@example.com', expires_at: soon }), shopper).startsWith('Reserved for you until '),
                others: text(pet({ holder: null, expires_at: soon }), shopper),
                staff: text(pet({ holder: 'ann@example.com', expires_at: soon }), staff).startsWith('Reserved by ann@example.com until '),
                staffOwn: r.reservationOf(pet({ holder: 'boss@example.com', expires_at: soon }), staff).mine,
                lapsed: [r.reservationOf(pet({ holder: 'me@example.com', expires_at: past }), shopper),
                         r.statusNow(pet({ holder: null, expires_at: past })), r.statusNow(pet({ holder: null, expires_at: soon }))],
                none: [r.reservationOf(pet(null), shopper), r.reservationOf(pet({ expires_at: soon }, 'adopted'), shopper),
                       r.reservationOf(pet({ expires_at: 'soon' }), shopper)],
                times: [r.readableTimes('Nala is already reserved (until 2026-12-06T18:20:08.829Z, when ...).'),
                        r.readableTimes('no time here'), r.readableTimes('at 2026-12-06 18:20:08+00:00')],
                expected: r.formatUntil(new Date('2026-12-06T18:20:08.829Z')),
            };
        }""")
    finally:
        context.close()
    when = found.pop("expected")
    assert found.pop("times") == [f"Nala is already reserved (until {when}, when ...).", "no time here", f"at {when}"]
    assert found == {"mine": True, "others": "Reserved", "staff": True, "staffOwn": True,
                     "lapsed": [None, "available", "pending"], "none": [None, None, None]}


def test_a_cancelled_reservation_brings_the_pet_back_to_browse(make_page: Any, stack: Any, admin_token: str) -> None:
    shopper = new_user(stack)
    pet = create_pet(stack, admin_token, name=f"Juniper {uuid.uuid4().hex[:4]}")
    page = make_page()
    sign_in_and_wait(page, shopper)
    filter_by_price(page, pet["price"])
    listed = cards(page).filter(has_text=pet["name"])
    expect(listed).to_have_count(1)

    # Reserved in its details, cancelled under My reservations: back in Browse without a reload.
    open_pet(page, pet).get_by_role("button", name="Reserve").click()
    expect(page.locator("#pet-dialog").get_by_role("button", name="Cancel reservation")).to_be_visible()
    close_dialog(page)
    expect(listed).to_have_count(0)
    page.get_by_role("tab", name="My reservations").click()
    page.get_by_role("button", name=f"Cancel reservation of {pet['name']}").click()
    expect(page.locator("#reservations-empty")).to_be_visible()
    page.get_by_role("tab", name="Browse pets").click()
    expect(listed).to_have_count(1)

    # Reserved and cancelled in its details: back in the list once they close.
    dialog = open_pet(page, pet)
    dialog.get_by_role("button", name="Reserve").click()
    dialog.get_by_role("button", name="Cancel reservation").click()
    expect(dialog.get_by_role("button", name="Reserve")).to_be_visible()
    close_dialog(page)
    expect(listed).to_have_count(1)
