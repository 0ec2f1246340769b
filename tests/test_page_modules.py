"""The page's pure functions, run in the browser as the page loads them (ES modules from the local stack)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def results(browser: Any, stack: Any) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(stack.url + "/")
    try:
        return page.evaluate("""async () => {
            const router = await import('./js/router.js');
            const filters = await import('./js/filters.js');
            const dom = await import('./js/dom.js');
            const ask = await import('./js/ask.js');
            const srp = await import('./js/srp.js');
            const cards = await import('./js/cards.js');
            const parsed = (hash) => { const s = router.parseHash(hash); return [s.view, s.params.toString(), s.pet]; };
            const state = (query, admin = false) => filters.stateFromParams(new URLSearchParams(query), admin);
            const problems = (query) => filters.validate(state(query)).problems.map((p) => `${p.group}: ${p.message}`);
            const pet = { id: 'b', name: 'Nala', breed: 'Siamese', type: 'cat', age: 0.42, price: 120, status: 'available' };
            return {
                parsed: {
                    empty: parsed(''), browse: parsed('#/browse?type=cat&pet=p1'), ask: parsed('#/ask?q=a&q=b'),
                    link: parsed('#/pets/abc%20d'), unknown: parsed('#/main'),
                },
                hashes: [
                    router.hashFor({ view: 'ask', params: new URLSearchParams('q=dogs under 600&q=what about cats?') }),
                    router.hashFor({ view: 'browse', params: new URLSearchParams('pet=x&sort=age_asc'), pet: 'p 2' }),
                ],
                params: [
                    filters.paramsFromState(state('')).toString(),
                    filters.paramsFromState(state('', true), true).toString(),
                    filters.paramsFromState(state('status=any&sort=bogus&type=Cat&type=cat&min_age=3&age_unit=months')).toString(),
                ],
                problems: [problems('min_price=5&max_price=1'), problems('min_age=-1'), problems('max_price=abc'), problems('max_age=6&age_unit=months')],
                months: filters.validate(state('min_age=5&max_age=5&age_unit=months')).filters,
                beyond: filters.validate(state('max_price=2000000&max_age=1000')),
                matches: [
                    filters.matches(pet, { status: 'available', type: ['cat'], q: 'siam', max_age: 0.42 }),
                    filters.matches(pet, { status: 'pending' }), filters.matches(pet, { q: 'rex' }),
                    filters.matches(pet, { min_price: 121 }),
                    filters.matches({ ...pet, name: 'Émile' }, { q: 'EMI' }), filters.matches(pet, { q: 'ala' }),
                    filters.matches({ ...pet, breed: 'Maine Coon' }, { q: 'coo' }),
                ],
                sorted: [{ id: 'b', price: 5 }, { id: 'a', price: 5 }, { id: 'c', price: 1 }]
                    .sort(filters.compareFor('price_desc')).map((p) => p.id),
                ages: [dom.formatAge(0.25), dom.formatAge(1), dom.formatAge(2.55), dom.ageForInput(0.5), dom.ageForInput(3),
                       dom.yearsFrom(5, 'months'), dom.yearsFrom(18, 'months'),
                       // every whole month reads back as itself; a stored age between them keeps its decimals
                       [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => dom.ageForInput(dom.yearsFrom(m, 'months')).value).join(','),
                       dom.ageForInput(0.7).value],
                replaced: [ask.replaceWord('show me doggs please', 'doggs', 'dogs'), ask.replaceWord('DRAGONS?', 'dragons', 'Bearded Dragon'),
                           ask.replaceWord('catalog cat', 'cat', 'dog'), ask.replaceWord('x', 'y', 'z')],
                pads: [srp.padHex(0x7fn), srp.padHex(0x80n), srp.padHex(0xabcn), srp.padHex(0x1234n)],
                timestamp: srp.srpTimestamp(new Date(Date.UTC(2025, 2, 4, 9, 5, 7))),
                carried: ['max_price', 'type', 'min_age', 'good_with_dogs', 'sort'].map((f) => cards.describeField(f,
                    { max_price: 500, max_price_strict: true, type: ['dog', 'cat'], min_age: 0.5, good_with_dogs: true, sort: 'age_asc' })),
                attributes: (() => {
                    const url = 'sex=Female&size=huge&good_with_cats=no&good_with_dogs=true&good_with_children=maybe';
                    const s = state(url);
                    const { filters: f } = filters.validate(s);
                    const only = (keys) => Object.fromEntries(keys.map((k) => [k, f[k]]));
                    return {
                        params: filters.paramsFromState(s).toString(),
                        filters: only(['sex', 'size', 'good_with_children', 'good_with_dogs', 'good_with_cats']),
                        active: filters.activeCount(s, false),
                        back: filters.paramsFromState(state(filters.paramsFromState(s).toString())).toString(),
                    };
                })(),
                attributeMatches: (() => {
                    const p = { ...pet, sex: 'female', size: 'small', good_with: { children: true, dogs: null, cats: false } };
                    return [
                        filters.matches(p, { sex: 'female', size: 'small', good_with_children: true }),
                        filters.matches(p, { sex: 'male' }), filters.matches(p, { size: 'large' }),
                        filters.matches(p, { good_with_cats: false }), filters.matches(p, { good_with_cats: true }),
                        filters.matches(p, { good_with_dogs: true }), filters.matches(p, { good_with_dogs: false }),
                        filters.matches(p, { sex: null, size: null, good_with_dogs: null }),
                        filters.matches(pet, { good_with_children: false }), filters.matches(pet, { sex: 'female' }),
                    ];
                })(),
                order: ['', 'price_desc'].map((sort) => [...cards.chipList({ type: ['dog'], ...(sort ? { sort } : {}) }).children].map((li) => li.textContent)),
            };
        }""")
    finally:
        context.close()


def test_the_url_fragment_is_parsed_and_written_back(results: dict[str, Any]) -> None:
    assert results["parsed"] == {
        "empty": ["browse", "", None], "browse": ["browse", "type=cat", "p1"], "ask": ["ask", "q=a&q=b", None],
        "link": ["browse", "", "abc d"], "unknown": ["browse", "", None],
    }
    assert results["hashes"] == ["#/ask?q=dogs+under+600&q=what+about+cats%3F", "#/browse?sort=age_asc&pet=p+2"]


def test_filters_leave_defaults_out_of_the_url_and_check_what_was_typed(results: dict[str, Any]) -> None:
    assert results["params"] == ["", "", "type=cat&min_age=3&age_unit=months&status=any"]
    assert results["problems"] == [
        ["price: The minimum price is higher than the maximum price."],
        ["age: The minimum age can't be below 0."],
        ["price: The maximum price must be a number."],
        [],
    ]
    # Five months: a pet stored as 0.42 years (five months, rounded) is inside both bounds.
    assert results["months"]["min_age"] <= 0.42 <= results["months"]["max_age"]
    # A maximum beyond the store's bounds excludes nothing: no error, the bound itself is asked for.
    assert results["beyond"]["problems"] == []
    assert results["beyond"]["filters"]["max_price"] == 1_000_000 and results["beyond"]["filters"]["max_age"] == 100
    # As the API searches: a name that starts with the text, a breed word that does; case and accents aside.
    assert results["matches"] == [True, False, False, False, True, False, True]
    assert results["sorted"] == ["b", "a", "c"]


def test_ages_words_and_srp_details(results: dict[str, Any]) -> None:
    assert results["ages"] == ["3 months", "1 year", "2.6 years", {"value": "6", "unit": "months"},
                               {"value": "3", "unit": "years"}, 0.42, 1.5, "1,2,3,4,5,6,7,8,9,10,11", "8.4"]
    assert results["replaced"] == ["show me dogs please", "Bearded Dragon?", "catalog dog", "x z"]
    assert results["pads"] == ["7f", "0080", "0abc", "1234"]
    assert results["timestamp"] == "Tue Mar 4 09:05:07 UTC 2025"
    assert results["carried"] == ["under $500", "dogs and cats", "at least 6 months", "good with dogs", "youngest first"]


def test_pet_filters_in_the_url_the_query_and_the_match(results: dict[str, Any]) -> None:
    # Known values are kept (case aside), the rest fall back to "any" and leave the URL.
    assert results["attributes"]["params"] == "sex=female&good_with_dogs=true&good_with_cats=false"
    assert results["attributes"]["back"] == results["attributes"]["params"]
    assert results["attributes"]["filters"] == {"sex": "female", "size": None, "good_with_children": None,
                                                "good_with_dogs": True, "good_with_cats": False}
    assert results["attributes"]["active"] == 3
    # As GET /pets filters: true finds pets known to get on, false those known not to; unknown is neither.
    assert results["attributeMatches"] == [True, False, False, True, False, False, False, True, False, False]


def test_an_answer_without_a_sort_says_the_order(results: dict[str, Any]) -> None:
    assert results["order"] == [["Type: dog", "Order: by name, A to Z"], ["Type: dog", "Sort: most expensive first"]]
