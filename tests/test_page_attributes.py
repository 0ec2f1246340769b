"""What adoption sites let people filter on, in a real browser at desktop and phone sizes: sex, size and good with
children / dogs / cats as Browse filters (in the URL, sent to GET /pets, restored on reload, on cards and in the
details), and in the staff form with the description (text, never HTML; PATCH sends only what changed; errors beside
their fields)."""

from __future__ import annotations

import json
import random
import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.browser_fixture import (
    PageProblems,
    axe_problems,
    call_api,
    cards,
    create_pet,
    delete_pets,
    expect,
    filter_by_price,
    hash_params,
    no_horizontal_scroll,
    open_filters,
    sign_in_and_wait,
    wait_for_grid,
)

MARKUP = '<b>Bold</b> & <img src="x" onerror="alert(1)"> <script>alert(2)</script>\nLikes walks.'


def band() -> int:
    """The low end of a band of prices no other pet uses (seeded pets cost less than $3,000)."""
    return random.randint(100, 9_000) * 100 + 50_000


def names(page: Any) -> list[str]:
    return sorted(page.locator("#pet-grid .pet-name").all_inner_texts())


def api_names(stack: Any, token: str, query: dict[str, Any]) -> list[str]:
    status, listing = call_api(stack, "GET", f"/pets?{urlencode({**query, 'page_size': 100})}", token)
    assert status == 200, listing
    return sorted(p["name"] for p in listing["pets"])


def filters(page: Any) -> Any:
    return page.locator("#filters")


def choose(page: Any, label: str, value: str) -> None:
    """Pick a Browse choice (it applies at once) and wait for the list."""
    open_filters(page)
    filters(page).get_by_label(label).select_option(value)
    wait_for_grid(page)


def fact(dialog: Any, term: str) -> str:
    return dialog.locator(".fact", has=dialog.page.locator("dt", has_text=re.compile(f"^{term}$"))).locator("dd").inner_text()


def test_pet_filters_round_trip_through_the_url_and_the_api(make_page: Any, stack: Any, admin_token: str,
                                                            viewport: tuple[int, int]) -> None:
    low = band()
    tag = uuid.uuid4().hex[:4]
    specs = [
        ("Ada", "female", "small", {"children": True, "dogs": None, "cats": False}),
        ("Bo", "male", "small", {"children": True, "dogs": True, "cats": None}),
        ("Cleo", "female", "large", {"children": None, "dogs": None, "cats": None}),
        ("Dot", "female", "small", {"children": False, "dogs": True, "cats": True}),
    ]
    pets = [create_pet(stack, admin_token, name=f"{name} {tag}", price=low + i, sex=sex, size=size, good_with=good)
            for i, (name, sex, size, good) in enumerate(specs)]
    ada, bo, cleo, dot = (p["name"] for p in pets)
    try:
        page = make_page(*viewport)
        sign_in_and_wait(page, stack.user)
        sent: list[dict[str, list[str]]] = []
        page.on("request", lambda r: sent.append(parse_qs(urlsplit(r.url).query)) if "/pets?" in r.url else None)
        filter_by_price(page, low, low + 10)
        assert names(page) == sorted([ada, bo, cleo, dot])

        choose(page, "Sex", "female")
        assert names(page) == sorted([ada, cleo, dot])
        choose(page, "Size", "small")
        choose(page, "Good with children", "true")
        expect(cards(page)).to_have_count(1)
        assert names(page) == [ada]
        assert hash_params(page) == ("browse", {
            "min_price": [str(low)], "max_price": [str(low + 10)], "sex": ["female"], "size": ["small"],
            "good_with_children": ["true"],
        })
        # The API got the same filter, and answers what the page shows.
        query = {"min_price": low, "max_price": low + 10, "status": "available", "sex": "female", "size": "small",
                 "good_with_children": "true"}
        assert {k: v[0] for k, v in sent[-1].items() if k in query} == {k: str(v) for k, v in query.items()}
        assert names(page) == api_names(stack, admin_token, query)
        expect(page.locator("#filter-count")).to_have_text("4 active")

        # The card says it compactly; the details in full.
        card = cards(page).first
        expect(card.locator(".pet-traits")).to_have_text("Female · Small")
        expect(card.locator(".pet-good-with li")).to_have_text(["✓Good with Kids", "✗Not good with Cats"])
        card.get_by_role("button", name=ada, exact=True).click()
        dialog = page.locator("#pet-dialog")
        expect(dialog.get_by_role("heading", name=ada)).to_be_visible()
        assert [fact(dialog, t) for t in ("Sex", "Size", "Good with children", "Good with dogs", "Good with cats")] \
            == ["Female", "Small", "Yes", "Not known", "No"]
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(page).not_to_have_url(re.compile(r"[?&]pet="))

        # A reload restores every choice and the list.
        page.reload()
        wait_for_grid(page)
        expect(cards(page)).to_have_count(1)
        open_filters(page)
        for label, value in (("Sex", "female"), ("Size", "small"), ("Good with children", "true"),
                             ("Good with dogs", "any"), ("Good with cats", "any")):
            expect(filters(page).get_by_label(label)).to_have_value(value)

        # Back undoes one choice at a time.
        page.go_back()
        expect(filters(page).get_by_label("Good with children")).to_have_value("any")
        wait_for_grid(page)
        expect(cards(page)).to_have_count(2)
        assert names(page) == sorted([ada, dot])

        # "No" finds the pets known not to get on (an unknown answer is neither yes nor no).
        choose(page, "Good with cats", "false")
        assert names(page) == [ada]
        choose(page, "Good with cats", "any")
        choose(page, "Sex", "any")
        choose(page, "Size", "any")
        choose(page, "Good with dogs", "true")
        assert names(page) == sorted([bo, dot]) == api_names(stack, admin_token, {
            "min_price": low, "max_price": low + 10, "status": "available", "good_with_dogs": "true"})
        assert hash_params(page)[1]["good_with_dogs"] == ["true"]
        assert no_horizontal_scroll(page) <= viewport[0]
        assert not axe_problems(page, "browse with pet filters")

        page.get_by_role("button", name="Clear filters").click()
        wait_for_grid(page)
        expect(filters(page).get_by_label("Good with dogs")).to_have_value("any")
        assert hash_params(page) == ("browse", {})
    finally:
        delete_pets(stack, admin_token, pets)


def test_a_new_pet_with_a_description_and_attributes_shows_them_and_fits_the_filter(
        make_page: Any, stack: Any, admin_token: str, problems: PageProblems, viewport: tuple[int, int]) -> None:
    low = band()
    page = make_page(*viewport, path=f"/#/browse?min_price={low}&max_price={low + 10}&sex=female&good_with_dogs=true")
    sign_in_and_wait(page, stack.admin, grid=False)
    wait_for_grid(page)
    expect(page.locator("#browse-empty")).to_be_visible()
    posted: list[dict[str, Any]] = []
    patched: list[dict[str, Any]] = []
    page.on("request", lambda r: (posted if r.method == "POST" else patched).append(json.loads(r.post_data))
            if r.method in ("POST", "PATCH") and re.search(r"/pets(/[^/]+)?$", urlsplit(r.url).path) else None)
    dialog = page.locator("#edit-dialog")

    def add(name: str, price: int, sex: str, dogs: str, description: str = "") -> None:
        page.get_by_role("button", name="Add a pet").click()
        dialog.get_by_label("Name").fill(name)
        dialog.get_by_label("Type").fill("dog")
        dialog.get_by_label("Age", exact=True).fill("2")
        dialog.get_by_label("Price in dollars").fill(str(price))
        dialog.get_by_label("Sex", exact=True).select_option(sex)
        dialog.get_by_label("Size", exact=True).select_option("medium")
        dialog.get_by_label("Good with dogs").select_option(dogs)
        dialog.get_by_label("Good with children").select_option("false")
        if description:
            dialog.get_by_label("Description").fill(description)
            expect(dialog.locator("#e-description-count")).to_have_text(f"{len(description.strip())} of 2,000 characters.")
        dialog.get_by_role("button", name="Add pet").click()
        expect(dialog).to_be_hidden()

    fits, other = f"Maple {uuid.uuid4().hex[:5]}", f"Rowan {uuid.uuid4().hex[:5]}"
    add(fits, low + 1, "female", "true", MARKUP)
    assert posted[-1] == {"name": fits, "type": "dog", "age": 2, "price": low + 1, "status": "available", "sex": "female",
                          "size": "medium", "good_with": {"children": False, "dogs": True, "cats": None},
                          "description": MARKUP}
    card = page.locator("#pet-grid .pet-card", has_text=fits)
    expect(card).to_be_visible()
    expect(card.locator(".pet-traits")).to_have_text("Female · Medium")
    expect(card.locator(".pet-good-with li")).to_have_text(["✗Not good with Kids", "✓Good with Dogs"])
    expect(page.locator("#results-summary")).to_have_text("1 of 1 pet")

    add(other, low + 2, "male", "true")
    expect(page.locator("#toast")).to_contain_text(f"{other} was added. It doesn't match the current filters")
    expect(page.locator("#pet-grid .pet-card", has_text=other)).to_have_count(0)

    # The description is text: the markup is shown as typed, nothing in it runs or renders.
    card.get_by_role("button", name=fits, exact=True).click()
    details = page.locator("#pet-dialog")
    description = details.locator(".description")
    expect(description).to_be_visible()
    assert description.evaluate("el => el.textContent") == MARKUP
    assert description.evaluate("el => el.children.length") == 0
    assert details.locator("img[src='x'], b, script").count() == 0
    assert [fact(details, t) for t in ("Sex", "Size", "Good with children", "Good with dogs", "Good with cats")] \
        == ["Female", "Medium", "No", "Yes", "Not known"]
    assert not axe_problems(page, "details with a description")

    # Edit: no longer good with dogs, description cleared. Only those go, good_with member by member.
    details.get_by_role("button", name="Edit").click()
    expect(dialog.get_by_label("Description")).to_have_value(MARKUP)
    expect(dialog.get_by_label("Good with dogs")).to_have_value("true")
    dialog.get_by_label("Good with dogs").select_option("false")
    dialog.get_by_label("Description").fill("")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()
    assert patched == [{"good_with": {"dogs": False}, "description": None}]
    expect(page.locator("#toast")).to_have_text(
        f"Saved changes to {fits}. It no longer matches the current filters, so it left this list.")
    expect(page.locator("#pet-grid .pet-card", has_text=fits)).to_have_count(0)
    listing = call_api(stack, "GET", f"/pets?min_price={low}&max_price={low + 10}", admin_token)[1]["pets"]
    saved = next(p for p in listing if p["name"] == fits)
    assert saved["good_with"] == {"children": False, "dogs": False, "cats": None} and saved["description"] is None
    assert saved["sex"] == "female" and saved["size"] == "medium"
    assert not problems.dialogs
    delete_pets(stack, admin_token, listing)


def test_the_forms_errors_for_the_new_fields_are_beside_them(make_page: Any, stack: Any, admin_token: str,
                                                           viewport: tuple[int, int]) -> None:
    pet = create_pet(stack, admin_token, name=f"Errata {uuid.uuid4().hex[:5]}", sex="male")
    try:
        page = make_page(*viewport)
        sign_in_and_wait(page, stack.admin)
        filter_by_price(page, pet["price"])
        sent: list[str] = []
        page.on("request", lambda r: sent.append(r.method) if r.method in ("PATCH", "POST") else None)
        page.get_by_role("button", name=f"Edit {pet['name']}").click()
        dialog = page.locator("#edit-dialog")
        field = dialog.get_by_label("Description")
        error = dialog.locator("#e-description-error")

        # Too long: said beside the field before anything is sent; the first bad field has focus.
        field.fill("x" * 2001)
        expect(dialog.locator("#e-description-count")).to_have_class(re.compile(r"\bover-limit\b"))
        dialog.get_by_label("Name").fill("")
        dialog.get_by_role("button", name="Save changes").click()
        expect(error).to_have_text("The description is 2,001 characters long; it can be at most 2,000.")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert "e-description-error" in (field.get_attribute("aria-describedby") or "").split()
        expect(dialog.get_by_label("Name")).to_be_focused()
        assert not axe_problems(page, "edit form with a description error")
        dialog.get_by_label("Name").fill(pet["name"])
        dialog.get_by_role("button", name="Save changes").click()
        expect(field).to_be_focused()
        assert sent == []

        # What only the API knows (a right-to-left override hides text) comes back beside the field too.
        field.fill("Sweet \u202egod\u202c boy")
        dialog.get_by_role("button", name="Save changes").click()
        expect(error).to_contain_text("must not contain control, invisible or bidirectional-override characters")
        expect(field).to_be_focused()
        expect(dialog.get_by_label("Name")).not_to_have_attribute("aria-invalid", "true")
        assert sent == ["PATCH"]

        # Fixed: saved, and the sex the pet had stays as it was (only the description was sent).
        field.fill("Sweet good boy")
        dialog.get_by_role("button", name="Save changes").click()
        expect(dialog).to_be_hidden()
        saved = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]
        assert saved["description"] == "Sweet good boy" and saved["sex"] == "male"
    finally:
        delete_pets(stack, admin_token, [pet])
