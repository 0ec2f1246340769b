"""Photos on the page (Chromium against the local stack): staff add a JPEG in the edit form and it shows on the card
and in the details, lazy-loaded, sized and with its alt text; removing it brings the paw back. Descriptions with
markup are shown as text."""

from __future__ import annotations

from typing import Any

from tests.browser_fixture import (PageProblems, call_api, cards, create_pet, expect, filter_by_price, sign_in_and_wait)
from tests.images import jpeg


def open_editor(page: Any, name: str) -> Any:
    page.locator("#pet-grid .pet-card", has_text=name).get_by_role("button", name=f"Edit {name}").click()
    dialog = page.locator("#edit-dialog")
    expect(dialog).to_be_visible()
    return dialog


def test_staff_add_a_photo_that_shows_on_the_card_and_in_the_details(make_page: Any, stack: Any, admin_token: str,
                                                                      viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    pet = create_pet(stack, admin_token, name="Photogenic", breed="Whippet")
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    card = cards(page).filter(has_text="Photogenic")
    expect(card.locator(".pet-art-icon")).to_be_visible()  # the paw, while it has no photo
    assert card.locator("img").count() == 0

    dialog = open_editor(page, "Photogenic")
    expect(dialog.get_by_text("None yet")).to_be_visible()
    dialog.get_by_label("Add photos").set_input_files(
        [{"name": "whippet.jpg", "mimeType": "image/jpeg", "buffer": jpeg(320, 240, (60, 140, 220))}])
    expect(dialog.get_by_text("whippet.jpg: added.")).to_be_visible()
    expect(dialog.get_by_role("button", name="Remove photo 1 of Photogenic")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()

    image = card.locator("img")
    expect(image).to_have_attribute("alt", "Photogenic, a Whippet")
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("width", "320")
    expect(image).to_have_attribute("height", "240")
    image.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 320", arg=image.element_handle())
    assert card.locator(".pet-art-icon").count() == 0
    [photo] = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]["photos"]
    assert image.get_attribute("src") == photo["url"]

    card.locator(".pet-name").click()
    details = page.locator("#pet-dialog")
    big = details.get_by_role("img", name="Photogenic, a Whippet")
    expect(big).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=big.element_handle())
    details.get_by_role("button", name="Edit").click()

    dialog = page.locator("#edit-dialog")
    dialog.get_by_role("button", name="Remove photo 1 of Photogenic").click()
    expect(dialog.get_by_text("None yet")).to_be_visible()
    # The form edits the pet's new version: a save after photo changes is not taken for someone else's edit.
    dialog.get_by_label("Breed (optional)").fill("Italian Greyhound")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()
    expect(card.locator(".pet-art-icon")).to_be_visible()
    assert card.locator("img").count() == 0
    saved = call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]
    assert saved["photos"] == [] and saved["breed"] == "Italian Greyhound" and saved["version"] == 4
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_files_that_cannot_be_photos_are_refused_before_sending(page: Any, stack: Any, admin_token: str) -> None:
    pet = create_pet(stack, admin_token, name="Picky")
    sign_in_and_wait(page, stack.admin)
    filter_by_price(page, pet["price"])
    dialog = open_editor(page, "Picky")
    dialog.get_by_label("Add photos").set_input_files([
        {"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": jpeg(pad_to=6 * 1024 * 1024)},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"},
    ])
    expect(dialog.get_by_role("alert").filter(has_text="huge.jpg is larger than 5 MB.")).to_be_visible()
    expect(dialog.get_by_role("alert").filter(has_text="notes.txt is not a JPEG, PNG or WebP image.")).to_be_visible()
    assert call_api(stack, "GET", f"/pets/{pet['id']}", admin_token)[1]["photos"] == []
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_a_new_pet_gets_photos_once_saved(page: Any, stack: Any) -> None:
    sign_in_and_wait(page, stack.admin)
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.locator("#edit-dialog")
    expect(dialog.get_by_text("Photos can be added once the pet is saved")).to_be_visible()
    expect(dialog.get_by_label("Add photos")).to_be_hidden()


def test_a_description_with_markup_is_shown_as_text(page: Any, stack: Any, admin_token: str, problems: PageProblems) -> None:
    description = ('<img src=x onerror="window.__owned = 1"><b>Bold</b> & <script>window.__owned = 2</script>\n'
                   '<a href="javascript:alert(1)">click</a>')
    pet = create_pet(stack, admin_token, name="Markup", description=description)
    sign_in_and_wait(page, stack.user)
    filter_by_price(page, pet["price"])
    cards(page).filter(has_text="Markup").locator(".pet-name").click()
    shown = page.locator("#pet-dialog .description")
    expect(shown).to_be_visible()
    assert shown.text_content() == description
    assert shown.locator("*").count() == 0  # text only: no element was made from it
    assert page.evaluate("window.__owned") is None
    assert problems.dialogs == []
    call_api(stack, "DELETE", f"/pets/{pet['id']}", admin_token)


def test_the_deployed_pages_csp_allows_the_upload_endpoint_and_a_photos_origin(tmp_path: Any) -> None:
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "index.html"
    bucket = "https://petstore-photos-51af3dc0-da77-11e4-872e-1234567db123.s3.eu-west-1.amazonaws.com"
    subprocess.run([sys.executable, str(root / "scripts" / "page_csp.py"), str(root / "frontend" / "index.html"), str(out),
                    "--api-url", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", "--region", "eu-west-1",
                    "--upload-url", bucket + "/", "--photos-url", "https://photos.example.com/photos"], check=True)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', out.read_text()).group(1)
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["connect-src"] == ["'self'", "https://abc123.execute-api.eu-west-1.amazonaws.com",
                                         "https://cognito-idp.eu-west-1.amazonaws.com", bucket]
    assert directives["img-src"] == ["'self'", "data:", "https://photos.example.com"]
    bad = subprocess.run([sys.executable, str(root / "scripts" / "page_csp.py"), str(root / "frontend" / "index.html"),
                          str(out), "--api-url", "https://abc.example/", "--region", "eu-west-1", "--upload-url",
                          "http://bucket.example/"], capture_output=True, text=True)
    assert bad.returncode != 0 and "https" in bad.stderr
