"""Questions in plain words, in a real browser: the conversation shown is the conversation used (restored from
the URL after a reload, rebuilt after Back), a new one is one click away, and an answer says what it kept from
before, what it corrected and what it did not understand."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from tests.browser_fixture import (
    axe_problems,
    call_api,
    create_pet,
    delete_pets,
    expect,
    hash_params,
    in_viewport,
    new_user,
    sign_in,
    sign_in_and_wait,
)


def ask(page: Any, question: str, answers: int) -> Any:
    box = page.get_by_role("textbox", name="Ask")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(answers)
    return page.locator(".turn-answer").nth(answers - 1)


def chips(answer: Any) -> str:
    """The filter an answer shows, in one line ("Type: dog Price: < $500 ...")."""
    return " ".join(" ".join(answer.locator(".chips li").all_inner_texts()).split())


@pytest.fixture(scope="module")
def user_token(stack: Any) -> str:
    return sign_in(stack.url, stack.user.email, stack.user.password)["IdToken"]


def api_conversation(stack: Any, token: str, *questions: str) -> list[dict[str, Any]]:
    answers, session = [], None
    for question in questions:
        status, answer = call_api(stack, "POST", "/pets/query", token,
                                  {"query": question, **({"session_id": session} if session else {})})
        assert status == 200, answer
        session = answer["session_id"]
        answers.append(answer)
    return answers


def test_the_conversation_is_restored_after_a_reload_and_rebuilt_after_back(make_page: Any, stack: Any,
                                                                            viewport: tuple[int, int]) -> None:
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    ask(page, "dogs under $600", 1)
    second = ask(page, "what about cats?", 2)
    assert "cat" in chips(second) and "600" in chips(second)
    assert hash_params(page) == ("ask", {"q": ["dogs under $600", "what about cats?"]})

    page.reload()
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(2)
    expect(page.locator("#conversation-note")).to_contain_text("restored")
    expect(page.locator(".bubble-user")).to_have_text(["dogs under $600", "what about cats?"])
    restored = page.locator(".turn-answer").nth(1)
    assert "cat" in chips(restored) and "600" in chips(restored)
    expect(page).to_have_title("Find a match · PetStore")

    # Back shows the conversation as it was; the next question refines that one (dogs), not the hidden one.
    page.go_back()
    expect(page.locator(".turn-answer")).to_have_count(1)
    third = ask(page, "and under 300?", 2)
    text = chips(third)
    assert "dog" in text and "300" in text and "cat" not in text, text
    assert hash_params(page)[1]["q"] == ["dogs under $600", "and under 300?"]


def test_a_new_conversation_is_one_click_and_visibly_new(make_page: Any, stack: Any) -> None:
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    ask(page, "dogs under 600", 1)
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/pets/query") else None)
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.locator("#conversation-note")).to_contain_text("Started a new conversation")
    expect(page.get_by_role("textbox", name="Ask")).to_be_focused()
    assert hash_params(page) == ("ask", {})
    fresh = ask(page, "cats", 1)
    assert "600" not in chips(fresh)
    assert sent and "session_id" not in sent[0]


def test_an_answer_says_what_it_kept_corrected_and_did_not_understand(make_page: Any, stack: Any) -> None:
    """meta.carried, meta.corrected, meta.unrecognised and meta.suggestions of the real answers, as the page shows them."""
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data or "{}"))
            if r.url.endswith("/pets/query") and r.method == "POST" else None)
    ask(page, "dogs under $500", 1)
    cats = ask(page, "what about cats?", 2)
    carried = cats.locator(".answer-carried")
    expect(carried).to_contain_text("Kept from before: under $500")
    carried.get_by_role("button", name="Start over").click()
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(1)
    assert sent[-1]["query"] == "what about cats?" and "session_id" not in sent[-1]
    assert hash_params(page)[1]["q"] == ["what about cats?"]
    expect(page.locator("#conversation-note")).to_contain_text("Started over")
    assert "500" not in chips(page.locator(".turn-answer").first)

    corrected = ask(page, "show me rabits", 2)
    expect(corrected.locator(".answer-corrected")).to_have_text("Read “rabits” as “rabbit”.")

    unsure = ask(page, "dragons please", 3)
    expect(unsure.locator(".answer-title")).to_have_text("I didn't understand “dragons”.")
    expect(unsure.locator(".pet-card")).to_have_count(0)
    expect(unsure.locator(".chips")).to_have_count(0)
    assert not axe_problems(page, "answers: kept, corrected, not understood")
    unsure.get_by_role("button", name="Bearded Dragon").click()
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(4)
    assert sent[-1]["query"] == "Bearded Dragon please"
    expect(page.locator(".bubble-user").last).to_have_text("Bearded Dragon please")


def test_the_source_is_in_plain_words_and_counts_say_how_many(make_page: Any, stack: Any, user_token: str) -> None:
    (expected,) = api_conversation(stack, user_token, "cheapest pets")
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    answer = ask(page, "cheapest pets", 1)
    expect(answer.locator(".source")).to_have_text("Quick match" if expected["source"] == "keyword" else "Smart search")
    expect(answer).not_to_contain_text("Keyword")
    shown = min(6, len(expected["pets"]))
    if expected.get("total") is None:
        headline = f"Showing {shown} pets · more available" if expected["next_cursor"] else f"Found {shown} pets"
    else:
        headline = f"{shown} of {expected['total']:,}{'+' if expected.get('total_capped') else ''} pets"
    expect(answer.locator(".answer-title")).to_have_text(headline)


def test_a_failed_load_more_in_an_answer_says_so_beside_the_button(make_page: Any, stack: Any) -> None:
    page = make_page(390, 844)
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    answer = ask(page, "cheapest pets", 1)
    more = answer.get_by_role("button", name="Load more")
    page.route(re.compile(r".*/pets/query$"), lambda route: route.abort()
               if '"cursor"' in (route.request.post_data or "") else route.continue_())
    more.scroll_into_view_if_needed()
    more.click()
    error = answer.locator(".more-error")
    expect(error).to_contain_text("Couldn't load more pets")
    assert in_viewport(page, error)
    retry = answer.get_by_role("button", name="Try again")
    expect(retry).to_be_focused()
    page.unroute(re.compile(r".*/pets/query$"))
    retry.click()
    expect(answer.locator(".pet-card")).not_to_have_count(6)
    expect(error).to_be_hidden()


def test_a_new_question_is_not_merged_with_the_old_one(make_page: Any, stack: Any, user_token: str) -> None:
    _, bird = api_conversation(stack, user_token, "cheap dogs under $500", "the most expensive bird")
    assert bird["filters"].get("max_price") is None
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    ask(page, "cheap dogs under $500", 1)
    answer = ask(page, "the most expensive bird", 2)
    expect(answer.locator(".pet-card")).to_have_count(1)
    expect(answer.locator(".price")).to_have_text("$1,900")
    expect(answer.locator(".answer-carried")).to_have_count(0)


def test_an_unknown_subject_says_so_and_its_suggestion_asks_again(make_page: Any, stack: Any, user_token: str) -> None:
    (dragons,) = api_conversation(stack, user_token, "dragons")
    assert dragons["meta"]["unrecognised"] == ["dragons"] and dragons["pets"] == []
    page = make_page()
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    answer = ask(page, "dragons", 1)
    expect(answer.locator(".answer-title")).to_have_text("I didn't understand “dragons”.")
    expect(answer.locator(".pet-card")).to_have_count(0)
    suggestion = dragons["meta"]["suggestions"]["dragons"]
    answer.get_by_role("button", name=suggestion).click()
    again = page.locator(".turn-answer").nth(1)
    expect(again.locator(".pet-card").first).to_be_visible()
    expect(again.locator(".pet-sub").first).to_contain_text(suggestion)


def test_an_earlier_start_over_asks_again_at_the_end_and_answers_say_their_order(
        make_page: Any, stack: Any, user_token: str, viewport: tuple[int, int]) -> None:
    (expected,) = api_conversation(stack, user_token, "dogs under $500")
    page = make_page(*viewport)
    sign_in_and_wait(page, stack.user)
    page.get_by_role("tab", name="Find a match").click()
    dogs = ask(page, "dogs under $500", 1)
    # No sort in the filter: the answer says the pets come by name, as the API lists them.
    assert "Order: by name, A to Z" in chips(dogs)
    assert dogs.locator(".pet-name").all_inner_texts() == [p["name"] for p in expected["pets"][:6]]
    ask(page, "what about cats?", 2)
    cheapest = ask(page, "cheapest first", 3)
    assert "Sort: cheapest first" in chips(cheapest) and "Order:" not in chips(cheapest)

    # "Start over" on the second answer: the third still counts, so the question is asked again at the end.
    page.locator(".turn-answer").nth(1).get_by_role("button", name="Start over").click()
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(4)
    expect(page.locator(".bubble-user")).to_have_text(
        ["dogs under $500", "what about cats?", "cheapest first", "Start over: what about cats?"])
    again = page.locator(".turn-answer").nth(3)
    assert "cat" in chips(again) and "500" not in chips(again), chips(again)
    expect(again.locator(".answer-carried")).to_have_count(0)
    expect(page.locator("#conversation-note")).to_contain_text("Asked “what about cats?” again at the end as a new search")
    assert hash_params(page)[1]["q"][-1] == "Start over: what about cats?"
    assert not axe_problems(page, "answers after an earlier start over")

    # The URL holds what was asked: a reload asks the same four questions and gets the same answer.
    page.reload()
    expect(page.locator(".turn-answer[aria-busy=false]")).to_have_count(4)
    restored = page.locator(".turn-answer").nth(3)
    assert "cat" in chips(restored) and "500" not in chips(restored)


def test_answer_cards_follow_a_reservation_made_in_their_details(make_page: Any, stack: Any, admin_token: str,
                                                               viewport: tuple[int, int]) -> None:
    low = 95_000 + (uuid.uuid4().int % 4_000) * 1
    pet = create_pet(stack, admin_token, name=f"Answer {uuid.uuid4().hex[:5]}", price=low + 0.5)
    try:
        page = make_page(*viewport)
        sign_in_and_wait(page, new_user(stack))
        page.get_by_role("tab", name="Find a match").click()
        answer = ask(page, f"dogs between ${low:,} and ${low + 1:,}", 1)
        card = answer.locator(".pet-card")
        expect(card).to_have_count(1)
        expect(card.locator(".status")).to_have_text("Available")
        card.get_by_role("button", name=pet["name"], exact=True).click()
        dialog = page.locator("#pet-dialog")
        dialog.get_by_role("button", name="Reserve").click()
        expect(dialog.get_by_role("button", name="Cancel reservation")).to_be_focused()
        # The answer's card follows at once, behind the dialog, and focus comes back to it.
        expect(card.locator(".status")).to_have_text("Reserved for you")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(card.locator(".pet-reservation")).to_contain_text("Reserved for you until")
        expect(card.get_by_role("button", name=pet["name"], exact=True)).to_be_focused()
        expect(page.locator(".turn-answer")).to_have_count(1)
    finally:
        delete_pets(stack, admin_token, [pet])
