"""The staff's Inventory view (#/inventory) in a real browser, at desktop and phone sizes: the counts of GET
/inventory as tables, each linking to Browse filtered that way; a tab only staff see."""

from __future__ import annotations

import re
from typing import Any

from tests.browser_fixture import (
    axe_problems,
    call_api,
    cards,
    create_pet,
    delete_pets,
    expect,
    hash_params,
    no_horizontal_scroll,
    sign_in_and_wait,
    wait_for_grid,
)


def counts(page: Any, table: str) -> dict[str, int]:
    """{row heading: count} of a table's body."""
    rows = page.locator(f"#{table} tbody tr")
    expect(rows.first).to_be_visible()
    found = {}
    for row in rows.all():
        label = row.locator("th").inner_text().strip()
        found[label] = int(row.locator("td.count").inner_text().split()[0].replace(",", ""))
    return found


def test_inventory_counts_are_the_apis_and_link_to_browse(make_page: Any, stack: Any, admin_token: str,
                                                          viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.admin)
    tab = page.get_by_role("tab", name="Inventory")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    assert hash_params(page) == ("inventory", {})
    expect(page).to_have_title("Inventory · PetStore")
    expect(page.locator("#inventory-tables")).to_have_attribute("aria-busy", "false")

    status, inventory = call_api(stack, "GET", "/inventory", admin_token)
    assert status == 200
    by_status = counts(page, "inventory-by-status")
    assert by_status == {label: inventory["by_status"].get(key, 0)
                         for key, label in (("available", "Available"), ("pending", "Pending"), ("adopted", "Adopted"))}
    by_type = counts(page, "inventory-by-type")
    plural = {"fish": "Fish"}
    assert by_type == {plural.get(t, f"{t.title()}s"): n for t, n in inventory["by_type"].items() if n}
    total = sum(inventory["by_status"].values())
    expect(page.locator("#inventory-by-status tfoot td.count")).to_have_text(re.compile(rf"^{total:,}\b"))
    expect(page.locator("#inventory-summary")).to_have_text(f"Inventory · {total:,} pets")
    # Each count names what it counts for people who list the links.
    expect(page.locator("#inventory-by-type tbody tr", has_text="Cats").get_by_role("link")) \
        .to_have_accessible_name(f"{inventory['by_type']['cat']} cats: browse them")
    assert no_horizontal_scroll(page) <= viewport[0]
    assert not axe_problems(page, "inventory")

    # A count is a link to Browse filtered that way, where the count is the same.
    page.locator("#inventory-by-type tbody tr", has_text="Cats").get_by_role("link").click()
    assert hash_params(page) == ("browse", {"type": ["cat"]})
    expect(page.get_by_role("tab", name="Browse pets")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#results-summary")).to_be_focused()
    wait_for_grid(page)
    cats = inventory["by_type"]["cat"]
    expect(page.locator("#results-summary")).to_have_text(f"{min(cats, 12)} of {cats} {'pet' if cats == 1 else 'pets'}")
    assert all(sub.endswith("Cat") for sub in page.locator("#pet-grid .pet-sub").all_inner_texts())

    page.go_back()
    expect(page.locator("#inventory-by-status")).to_be_visible()
    pending = inventory["by_status"]["pending"]
    page.locator("#inventory-by-status tbody tr", has_text="Pending").get_by_role("link").click()
    assert hash_params(page) == ("browse", {"status": ["pending"]})
    wait_for_grid(page)
    expect(page.locator("#results-summary")).to_have_text(f"{min(pending, 12)} of {pending} {'pet' if pending == 1 else 'pets'}")
    expect(page.locator("#pet-grid .status")).to_have_count(min(pending, 12))
    assert all(s in ("Pending", "Reserved") for s in page.locator("#pet-grid .status").all_inner_texts())

    # Refresh counts again: a pet added meanwhile is counted.
    page.get_by_role("tab", name="Inventory").click()
    cat_count = page.locator("#inventory-by-type tbody tr", has_text="Cats").locator("td.count")
    expect(cat_count).to_have_text(re.compile(rf"^{cats}\b"))
    pet = create_pet(stack, admin_token, name="Counted", type="cat")
    try:
        page.get_by_role("button", name="Refresh").click()
        expect(cat_count).to_have_text(re.compile(rf"^{cats + 1}\b"))
    finally:
        delete_pets(stack, admin_token, [pet])
    page.get_by_role("tab", name="Inventory").press("End")
    expect(page.get_by_role("tab", name="Inventory")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Browse pets")).to_be_focused()


def test_shoppers_have_no_inventory(make_page: Any, stack: Any, viewport: tuple[int, int]) -> None:
    page = make_page(*viewport, path="/#/inventory")
    sign_in_and_wait(page, stack.user)
    # A staff link opened by a shopper: Browse, and why.
    expect(page.locator("#toast")).to_contain_text("Only staff can see the inventory")
    assert hash_params(page)[0] == "browse"
    expect(page.get_by_role("tab", name="Inventory")).to_have_count(0)
    expect(page.locator("#panel-inventory")).to_be_hidden()
    expect(cards(page).first).to_be_visible()
    # The arrow keys go round the tabs a shopper has.
    page.get_by_role("tab", name="Browse pets").focus()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="My reservations")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Browse pets")).to_be_focused()
