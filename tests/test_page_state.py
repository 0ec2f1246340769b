"""Browse in a real browser, at desktop and phone sizes: the view lives in the URL (reload, Back, Forward, pet
links), counts say how many match, search by name, the list stays true to its filters, and errors appear where
the person is looking."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.browser_fixture import (
    call_api,
    cards,
    create_pet,
    delete_pets,
    expect,
    filter_by_price,
    focused,
    hash_params,
    in_viewport,
    open_filters,
    sign_in_and_wait,
    sign_in_on_page,
    wait_for_grid,
)


def names(page: Any) -> list[str]:
    return page.locator("#pet-grid .pet-name").all_inner_texts()


def price_band() -> int:
    """The low end of a band of prices no other pet uses (seeded pets cost less than $3,000)."""
    return random.randint(100, 9_000) * 100 + 50_000


def api_total(stack: Any, token: str, query: dict[str, Any]) -> int:
    """How many pets match, counted by paging through GET /pets."""
    count, cursor = 0, None
    while True:
        params = {**query, "page_size": 100, **({"cursor": cursor} if cursor else {})}
        status, page = call_api(stack, "GET", f"/pets?{urlencode(params, doseq=True)}", token)
        assert status == 200, page
        count += len(page["pets"])
        cursor = page["next_cursor"]
        if not cursor:
            return count


def test_filters_live_in_the_url_reload_back_and_forward(make_page: Any, stack: Any, viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.user)
    open_filters(page)
    page.locator("#type-options label", has_text="Cats").click()
    wait_for_grid(page)
    expect(page).to_have_url(re.compile(r"#/browse\?type=cat$"))
    page.get_by_label("Sort by").select_option("age_desc")
    wait_for_grid(page)
    expect(page).to_have_url(re.compile(r"#/browse\?type=cat&sort=age_desc$"))
    open_filters(page)
    page.get_by_label("Maximum price").fill("500")
    page.get_by_role("button", name="Show pets").click()
    wait_for_grid(page)
    assert hash_params(page) == ("browse", {"type": ["cat"], "max_price": ["500"], "sort": ["age_desc"]})
    shown = names(page)
    assert shown and all(sub.endswith("Cat") for sub in page.locator("#pet-grid .pet-sub").all_inner_texts())

    # A reload restores the filters, the order and the list.
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    wait_for_grid(page)
    expect(page.locator("#pet-grid .pet-name").first).to_be_visible()
    assert names(page) == shown
    open_filters(page)
    expect(page.locator("#f-type-cat")).to_be_checked()
    expect(page.get_by_label("Sort by")).to_have_value("age_desc")
    expect(page.get_by_label("Maximum price")).to_have_value("500")

    # Back and Forward move through the searches, without leaving the page.
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/browse\?type=cat&sort=age_desc$"))
    expect(page.get_by_label("Maximum price")).to_have_value("")
    wait_for_grid(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/browse\?type=cat$"))
    expect(page.get_by_label("Sort by")).to_have_value("price_asc")
    wait_for_grid(page)
    prices = [float(p.strip("$").replace(",", "")) for p in page.locator("#pet-grid .price").all_inner_texts()]
    assert prices == sorted(prices)
    page.go_forward()
    expect(page.get_by_label("Sort by")).to_have_value("age_desc")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_pet_link_opens_its_details_after_sign_in(make_page: Any, stack: Any, admin_token: str,
                                                   viewport: tuple[int, int]) -> None:
    pet = create_pet(stack, admin_token, name=f"Linky {uuid.uuid4().hex[:5]}", type="rabbit", breed="Lop")
    page = make_page(*viewport, path=f"/#/pets/{pet['id']}")
    expect(page.get_by_label("Email")).to_be_visible()
    sign_in_on_page(page, stack.user.email, stack.user.password)
    dialog = page.locator("#pet-dialog")
    expect(dialog.get_by_role("heading", name=pet["name"])).to_be_visible()
    expect(page).to_have_title(f"{pet['name']} · PetStore")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_title("Browse pets · PetStore")
    expect(page).not_to_have_url(re.compile(r"[?&]pet="))

    # Opening a pet from the list puts it in the URL; Back closes it and Forward opens it again.
    filter_by_price(page, pet["price"])
    page.locator("#pet-grid .pet-card", has_text=pet["name"]).get_by_role("button", name=pet["name"]).click()
    expect(dialog).to_be_visible()
    assert hash_params(page)[1]["pet"] == [pet["id"]]
    page.go_back()
    expect(dialog).to_be_hidden()
    expect(page.locator("#pet-grid").get_by_role("button", name=pet["name"])).to_be_focused()
    page.go_forward()
    expect(dialog.get_by_role("heading", name=pet["name"])).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"[?&]pet="))
    delete_pets(stack, admin_token, [pet])


def test_a_link_to_a_pet_that_is_gone_says_so(make_page: Any, stack: Any) -> None:
    page = make_page(path=f"/#/pets/{uuid.uuid4()}")
    sign_in_and_wait(page, stack.user)
    expect(page.locator("#toast")).to_contain_text("That pet is no longer in the store")
    expect(page.locator("#pet-dialog")).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"[?&]pet="))
    # From an open pet's details to a link of one that is gone: the toast does not name the open one.
    page.locator("#pet-grid .pet-card button").first.click()
    expect(page.locator("#pet-dialog")).to_be_visible()
    page.evaluate(f"location.hash = '#/pets/{uuid.uuid4()}'")
    expect(page.locator("#toast")).to_contain_text("That pet is no longer in the store")


def test_counts_say_how_many_match(make_page: Any, stack: Any, admin_token: str, viewport: tuple[int, int]) -> None:
    low = price_band()
    pets = [create_pet(stack, admin_token, name=f"Count {i}", price=low + i) for i in range(14)]
    try:
        status, first = call_api(stack, "GET", f"/pets?min_price={low}&max_price={low + 20}&page_size=12", admin_token)
        assert status == 200
        page = make_page(*viewport)
        sign_in_and_wait(page, stack.admin)
        filter_by_price(page, low, low + 20)
        expect(cards(page)).to_have_count(12)
        if first.get("total") is None:
            # The store can't count cheaply: the page says what it shows and that there is more.
            expect(page.locator("#results-summary")).to_have_text("Showing 12 pets · more available")
            page.get_by_role("button", name="Load more").click()
            expect(page.locator("#results-summary")).to_have_text("Showing 14 pets")
        else:
            assert first["total"] == 14 == api_total(stack, admin_token, {"min_price": low, "max_price": low + 20})
            expect(page.locator("#results-summary")).to_have_text("12 of 14 pets")
            page.get_by_role("button", name="Load more").click()
            expect(page.locator("#results-summary")).to_have_text("14 of 14 pets")
        expect(page.get_by_role("button", name="Load more")).to_be_hidden()
        expect(page.locator("#results-order")).to_have_text("Every status · cheapest first")
    finally:
        delete_pets(stack, admin_token, pets)


def test_counts_capped_and_unknown_are_said_in_words(make_page: Any, stack: Any) -> None:
    """What the page shows for the count fields' edge cases: `total_capped` ("1,000+") and a null total."""
    page = make_page(open_url=False)

    def answer(route: Any, total: Any, capped: bool) -> None:
        response = route.fetch()
        body = response.json()
        body.update({"total": total, "total_capped": capped})
        route.fulfill(response=response, json=body)

    page.route(re.compile(r".*/pets\?.*"), lambda route: answer(route, 1000, True))
    page.goto(stack.url + "/")
    sign_in_and_wait(page, stack.user)
    expect(page.locator("#results-summary")).to_have_text("12 of 1,000+ pets")
    page.unroute(re.compile(r".*/pets\?.*"))
    page.route(re.compile(r".*/pets\?.*"), lambda route: answer(route, None, False))
    open_filters(page)
    page.locator("#type-options label", has_text="Dogs").click()
    wait_for_grid(page)
    expect(page.locator("#results-summary")).to_have_text(re.compile(r"^Showing \d+ pets?( · more available)?$"))


def test_a_new_pet_that_does_not_match_the_filter_is_not_shown(make_page: Any, stack: Any, admin_token: str,
                                                                viewport: tuple[int, int]) -> None:
    low = price_band()
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.admin)
    open_filters(page)
    page.locator("#type-options label", has_text="Cats").click()
    wait_for_grid(page)
    filter_by_price(page, low, low + 10)
    expect(page.locator("#browse-empty")).to_be_visible()

    def add(name: str, type_: str, price: int) -> None:
        page.get_by_role("button", name="Add a pet").click()
        dialog = page.locator("#edit-dialog")
        dialog.get_by_label("Name").fill(name)
        dialog.get_by_label("Type").fill(type_)
        dialog.get_by_label("Age", exact=True).fill("4")
        dialog.get_by_label("Age in", exact=True).select_option("months")
        dialog.get_by_label("Price in dollars").fill(str(price))
        dialog.get_by_role("button", name="Add pet").click()
        expect(dialog).to_be_hidden()

    dog, cat = f"Dog {uuid.uuid4().hex[:5]}", f"Cat {uuid.uuid4().hex[:5]}"
    add(dog, "dog", low + 1)
    expect(page.locator("#toast")).to_contain_text(f"{dog} was added. It doesn't match the current filters")
    expect(page.locator("#pet-grid .pet-card", has_text=dog)).to_have_count(0)
    add(cat, "cat", low + 2)
    card = page.locator("#pet-grid .pet-card", has_text=cat)
    expect(card).to_be_visible()
    expect(card).to_contain_text("4 months old")
    expect(card.get_by_role("button", name=cat, exact=True)).to_be_focused()
    assert page.locator("#pet-grid .pet-card", has_text=dog).count() == 0
    # The toast never hides the new card's controls.
    toast = page.locator("#toast").bounding_box()
    edit = card.get_by_role("button", name=f"Edit {cat}").bounding_box()
    assert toast and edit and (toast["y"] >= edit["y"] + edit["height"] or toast["y"] + toast["height"] <= edit["y"]), (toast, edit)
    status, listing = call_api(stack, "GET", f"/pets?min_price={low}&max_price={low + 10}", admin_token)
    delete_pets(stack, admin_token, listing["pets"])


def test_a_failed_load_more_says_so_beside_the_button(make_page: Any, stack: Any, viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.user)
    expect(cards(page)).to_have_count(12)
    more = page.get_by_role("button", name="Load more")
    page.route(re.compile(r".*/pets\?.*cursor=.*"), lambda route: route.abort())
    more.scroll_into_view_if_needed()
    more.click()
    error = page.locator("#more-error")
    expect(error).to_contain_text("Couldn't load more pets")
    expect(error).to_have_attribute("role", "alert")
    assert in_viewport(page, error), "the error is off-screen"
    expect(page.get_by_role("button", name="Try again")).to_be_focused()
    expect(cards(page)).to_have_count(12)
    page.unroute(re.compile(r".*/pets\?.*cursor=.*"))
    page.get_by_role("button", name="Try again").click()
    expect(error).to_be_hidden()
    expect(cards(page)).not_to_have_count(12)


def test_a_failed_search_offers_try_again_and_no_stale_load_more(make_page: Any, stack: Any) -> None:
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.route(re.compile(r".*/pets\?.*type=dog.*"), lambda route: route.abort())
    page.locator("#type-options label", has_text="Dogs").click()
    banner = page.locator("#browse-error")
    expect(banner).to_contain_text("couldn't reach the pet store")
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()
    expect(cards(page)).to_have_count(0)
    page.unroute(re.compile(r".*/pets\?.*type=dog.*"))
    banner.get_by_role("button", name="Try again").click()
    expect(banner).to_be_hidden()
    expect(cards(page).first).to_be_visible()
    assert all(sub.endswith("Dog") for sub in page.locator("#pet-grid .pet-sub").all_inner_texts())


def test_search_by_name_or_breed(make_page: Any, stack: Any, admin_token: str) -> None:
    status, found = call_api(stack, "GET", f"/pets?q=nothing{uuid.uuid4().hex[:8]}", admin_token)
    assert status == 200 and found["pets"] == []
    token = uuid.uuid4().hex[:6]
    pets = [create_pet(stack, admin_token, name=f"Zephyr{token}", breed="Lop", type="rabbit"),
            create_pet(stack, admin_token, name="Plain", breed=f"Zephyr{token} Terrier")]
    try:
        page = make_page()
        sign_in_and_wait(page, stack.user)
        page.get_by_label("Search by name or breed").fill(f"zephyr{token}")
        page.get_by_label("Search by name or breed").press("Enter")
        wait_for_grid(page)
        expect(cards(page)).to_have_count(2)
        assert hash_params(page)[1]["q"] == [f"zephyr{token}"]
        page.reload()
        wait_for_grid(page)
        expect(cards(page)).to_have_count(2)
        expect(page.get_by_label("Search by name or breed")).to_have_value(f"zephyr{token}")
    finally:
        delete_pets(stack, admin_token, pets)


def test_shoppers_see_available_pets_and_staff_every_status(make_page: Any, stack: Any, admin_token: str) -> None:
    low = price_band()
    pets = [create_pet(stack, admin_token, name=f"{status.title()} one", price=low + i, status=status)
            for i, status in enumerate(("available", "pending", "adopted"))]
    try:
        shopper = make_page()
        sign_in_and_wait(shopper, stack.user)
        filter_by_price(shopper, low, low + 10)
        expect(cards(shopper)).to_have_count(1)
        expect(shopper.locator("#pet-grid .status")).to_have_text(["Available"])
        shopper.locator("#f-status").select_option("any")
        wait_for_grid(shopper)
        expect(cards(shopper)).to_have_count(3)
        assert hash_params(shopper)[1]["status"] == ["any"]

        staff = make_page()
        sign_in_and_wait(staff, stack.admin)
        expect(staff.locator("#f-status")).to_have_value("any")
        filter_by_price(staff, low, low + 10)
        expect(cards(staff)).to_have_count(3)
    finally:
        delete_pets(stack, admin_token, pets)


def test_filter_errors_are_beside_their_fields(make_page: Any, stack: Any, viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.user)
    before = names(page)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/pets?" in r.url else None)
    open_filters(page)
    low, high = page.get_by_label("Minimum price"), page.get_by_label("Maximum price")
    low.fill("500")
    high.fill("100")
    page.get_by_role("button", name="Show pets").click()
    error = page.locator("#f-price-error")
    expect(error).to_have_text("The minimum price is higher than the maximum price.")
    for field in (low, high):
        expect(field).to_have_attribute("aria-invalid", "true")
        assert "f-price-error" in (field.get_attribute("aria-describedby") or "").split()
    expect(low).to_be_focused()
    assert in_viewport(page, error)
    expect(page.locator("#browse-error")).to_be_hidden()
    expect(page.locator("#pet-grid")).to_have_class(re.compile(r"\bstale\b"))
    expect(page.locator("#results-summary")).to_have_text("Fix the filter to see pets")

    # A negative age: our message beside the age fields (not the browser's), the price fixed.
    high.fill("")
    page.get_by_label("Minimum age").fill("-2")
    page.get_by_role("button", name="Show pets").click()
    expect(page.locator("#f-age-error")).to_have_text("The minimum age can't be below 0.")
    expect(page.get_by_label("Minimum age")).to_be_focused()
    expect(error).to_be_hidden()
    expect(low).not_to_have_attribute("aria-invalid", "true")
    assert sent == []

    page.get_by_label("Minimum age").fill("")
    low.fill("")
    page.get_by_role("button", name="Show pets").click()
    wait_for_grid(page)
    expect(page.locator("#f-age-error")).to_be_hidden()
    expect(page.locator("#pet-grid")).not_to_have_class(re.compile(r"\bstale\b"))
    assert names(page) == before and sent


def test_ages_in_months_and_the_phone_folds_the_filters(make_page: Any, stack: Any) -> None:
    page = make_page(390, 844)
    sign_in_and_wait(page, stack.user)
    expect(page.locator("#filters-box")).not_to_have_attribute("open", "")
    open_filters(page)
    page.get_by_label("Maximum age").fill("6")
    page.get_by_label("Ages in").select_option("months")
    page.get_by_role("button", name="Show pets").click()
    wait_for_grid(page)
    # The panel folds so the results come first, and the results heading has focus.
    expect(page.locator("#filters-box")).not_to_have_attribute("open", "")
    expect(page.locator("#results-summary")).to_be_focused()
    assert in_viewport(page, page.locator("#results-summary"))
    assert hash_params(page)[1] == {"max_age": ["6"], "age_unit": ["months"]}
    ages = page.locator("#pet-grid .pet-age").all_inner_texts()
    assert ages and all(re.fullmatch(r"[1-6] months? old|Newborn", a) for a in ages), ages
    assert focused(page).startswith("h2#results-summary")
