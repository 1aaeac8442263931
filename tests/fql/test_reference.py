"""Segment's FQL reference: its documented examples, function table and glob facts,
the received_at migration recipe, and where we follow the reference instead of tsub."""

from __future__ import annotations

import pytest

from sluiceway import fql

DOC_EVENT = {
    "event": "Button Clicked",
    "type": "track",
    "context": {"library": {"name": "analytics.js", "version": "1.0"}},
    "properties": {"features": ["discounts", "dark-mode"]},
}

DOCUMENTED_EXAMPLES = [
    ("event = 'Button Clicked'", True),
    ("event = 'Screen Tapped'", False),
    ("context.path.path = '/login'", False),
    ("type = 'identify' or type = 'track'", True),
    ("event = 'Button Clicked' and type = 'track'", True),
    ("match( context.library.version, '1.*' )", True),
    ("match( context.library.version, '2.*' )", False),
    ("type = 'track' and ( event = 'Click' or match( event, 'Button *' ) )", True),
    ("!contains( context.library.name, 'js' )", False),
    ("'dark-mode' in properties.features", True),
    ("'blink' in properties.features", False),
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENTED_EXAMPLES)
def test_documented_example_evaluates_as_the_reference_prints(text: str, expected: bool) -> None:
    assert fql.compile(text).matches(DOC_EVENT) is expected
    assert fql.from_ir(fql.to_ir(text)).matches(DOC_EVENT) is expected


GLOB_FACTS = [
    ("abcd", "a*d", True),
    ("", "*", True),
    ("abc", "ab", False),
    ("abcd", "a??d", True),
    ("abcd", "*d", True),
    ("ab*d", "ab\\*d", True),
    ("abCd", "ab[cC]d", True),
    ("abcd", "ab[a-z]d", True),
    ("abcd", "ab[A-Z]d", False),
]


@pytest.mark.parametrize(("text", "pattern", "expected"), GLOB_FACTS)
def test_documented_glob_fact_holds_written_as_fql(text: str, pattern: str, expected: bool) -> None:
    statement = f"match('{text}', '{pattern}')"
    assert fql.compile(statement).matches({}) is expected
    assert fql.glob_match(text, pattern) is expected


NULL_DEFAULTS = [
    "contains(properties.nothing, 'x') = false",
    "length(properties.nothing) = 0",
    "lowercase(properties.nothing) = null",
    "typeof(properties.nothing) = 'null'",
    "match(properties.nothing, '*') = false",
]


@pytest.mark.parametrize("text", NULL_DEFAULTS)
def test_functions_give_the_documented_default_for_null(text: str) -> None:
    assert fql.compile(text).matches({"properties": {"nothing": None}})


DOCUMENTED_FUNCTION_RESULTS = [
    "snakecase('test string') = 'test_string'",
    "kebabcase('test string') = 'test-string'",
    "titlecase('test string') = 'Test String'",
    "length('a') = 1",
    "length('ア') = 3",
    "length(['a', 'b']) = 2",
    "uppercase('abc') = 'ABC'",
    "lowercase('ABC') = 'abc'",
]


@pytest.mark.parametrize("text", DOCUMENTED_FUNCTION_RESULTS)
def test_function_returns_what_the_reference_documents(text: str) -> None:
    assert fql.compile(text).matches({})


def test_null_friendly_length_replaces_a_typeof_guard() -> None:
    # The reference: `length(userId) > 0` instead of `typeof(userId) = 'string' and ...`.
    short = fql.compile("length( userId ) > 0")
    long = fql.compile("typeof( userId ) = 'string' and length( userId ) > 0")
    for event in ({"userId": "u1"}, {"userId": ""}, {"userId": None}):
        assert short.matches(event) is long.matches(event)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"type": "track", "properties": {"enabled": True}}, True),
        ({"type": "identify", "traits": {"email": "x@company.com"}}, True),
        ({"type": "identify", "traits": {"email": "x@other.com"}}, False),
        ({"type": "page", "properties": {"enabled": True}}, False),
    ],
)
def test_documented_subexpression_groups_and_or(event: dict, expected: bool) -> None:
    text = "( type = 'track' or type = 'identify' ) and ( properties.enabled or match( traits.email, '*@company.com' ) )"
    assert fql.compile(text).matches(event) is expected


def test_documented_negated_in_list() -> None:
    query = fql.compile("!( type in ['track', 'identify'] )")
    assert query.matches({"type": "page"})
    assert not query.matches({"type": "identify"})


# -- Segment's received_at migration recipe (classic -> actions) -------------------------

CUTOVER = "2023-04-21T19:55:00.933Z"
CLASSIC_DROPS = f"(received_at >= '{CUTOVER}')"
ACTIONS_DROPS = f"(received_at < '{CUTOVER}')"


@pytest.mark.parametrize(
    ("received_at", "classic_drops"),
    [
        ("2023-04-21T19:55:00.934Z", True),
        ("2024-01-01T00:00:00.000Z", True),
        (CUTOVER, True),
        ("2023-04-21T19:55:00.932Z", False),
        ("2022-12-31T23:59:59.999Z", False),
    ],
)
def test_received_at_recipe_sends_each_event_to_exactly_one_destination(received_at: str, classic_drops: bool) -> None:
    """The recipe compares ISO-8601 strings with >= and <, so strings must order.

    tsub compares only numbers and would keep every event in both destinations.
    """
    event = {"type": "track", "received_at": received_at}
    assert fql.compile(CLASSIC_DROPS).matches(event) is classic_drops
    assert fql.compile(ACTIONS_DROPS).matches(event) is (not classic_drops)


def test_received_at_recipe_drops_nothing_when_the_field_is_absent() -> None:
    for text in (CLASSIC_DROPS, ACTIONS_DROPS):
        assert not fql.compile(text).matches({"type": "track"})


# -- Where the reference wins over tsub (each case names tsub's behaviour) -----------------


def test_in_with_a_field_on_the_right_is_list_membership() -> None:
    """tsub reads the list's items as field paths, so `'plan' in properties.list` looks up
    the top-level field `plan`; the reference means membership, and so do we."""
    event = {"plan": "other", "properties": {"list": ["plan", 0, False, None]}}
    assert fql.compile("'plan' in properties.list").matches(event)
    assert not fql.compile("'other' in properties.list").matches(event)
    # tsub's Array.find also misses falsy items such as 0 and false.
    assert fql.compile("0 in properties.list").matches(event)
    assert fql.compile("false in properties.list").matches(event)
    assert fql.compile("null in properties.list").matches(event)


def test_in_is_false_when_the_right_side_is_not_a_list() -> None:
    """tsub throws on a non-list (`list.find is not a function`); a filter must not fail."""
    for value in ("plan", {"plan": 1}, 5, None):
        assert not fql.compile("'plan' in properties.list").matches({"properties": {"list": value}})


def test_list_equality_compares_items_strictly_and_in_order() -> None:
    """tsub compares JSON texts, and its list literal is `[{"value": …}]`, so a field never
    equals a list literal there; the reference's `=` covers lists."""
    event = {"properties": {"tags": ["sale", "vip"], "ids": [1, 2]}}
    assert fql.compile("properties.tags = ['sale', 'vip']").matches(event)
    assert not fql.compile("properties.tags = ['vip', 'sale']").matches(event)
    assert not fql.compile("properties.ids = ['1', '2']").matches(event)
    assert fql.compile("properties.ids != [1]").matches(event)


def test_missing_field_equals_null() -> None:
    """tsub compares JavaScript's `undefined` with `null` and finds them different; the
    reference says a missing field is null."""
    assert fql.compile("properties.missing = null").matches({"properties": {}})
    assert not fql.compile("properties.missing != null").matches({})
    assert fql.compile("properties.missing in [null]").matches({})
    assert fql.compile("typeof(properties.missing) = 'null'").matches({})


def test_length_of_a_missing_field_is_not_zero_but_of_null_is() -> None:
    """The one place missing and null differ: tsub recorded `length(missing) = 0` as false
    (fmatch-326..331), while the reference documents `length(null)` as 0. Both hold."""
    assert not fql.compile("length(properties.coupon) = 0").matches({"properties": {}})
    assert fql.compile("length(properties.coupon) = 0").matches({"properties": {"coupon": None}})


def test_length_counts_utf8_bytes_not_utf16_units() -> None:
    """JavaScript's `.length` counts UTF-16 units (2 for an emoji); the reference counts bytes."""
    assert fql.compile("length(properties.s) = 4").matches({"properties": {"s": "😀"}})
    assert fql.compile("length(properties.s) = 6").matches({"properties": {"s": "ア€"}})


@pytest.mark.parametrize(
    ("value", "name"),
    [("s", "string"), (1.5, "number"), (True, "bool"), (None, "null"), ([1], "list"), ({"a": 1}, "object")],
)
def test_typeof_uses_fql_type_names(value: object, name: str) -> None:
    """tsub returns JavaScript's names (`boolean`, `object` for lists and null); the
    reference's are string, number, list, bool and null. A JSON object is `object`."""
    assert fql.compile(f"typeof(properties.v) = '{name}'").matches({"properties": {"v": value}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'b' > 'a'", True),
        ("'B' > 'a'", False),
        ("'2023-05-01' <= '2023-05-01'", True),
        ("10 > 9", True),
        ("'10' > '9'", False),
        ("'10' > 9", False),
        ("10 > '9'", False),
        ("true > false", False),
        ("null < 1", False),
        ("[2] > [1]", False),
    ],
)
def test_strings_order_by_code_point_numbers_numerically_mixed_never(text: str, expected: bool) -> None:
    """tsub orders numbers only; the received_at recipe needs strings to order too."""
    assert fql.compile(text).matches({}) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 = '1'", False), ("true = 1", False), ("false = 0", False), ("1 = 1.0", True), ("null = false", False)],
)
def test_equality_is_strict_about_types(text: str, expected: bool) -> None:
    assert fql.compile(text).matches({}) is expected


def test_a_condition_is_true_only_when_its_value_is_the_boolean_true() -> None:
    """tsub's `and`/`or` use JavaScript truthiness of a function's result (a non-empty
    lowercase() string counts as true inside `and`); the reference's `and`/`or` take
    booleans, so anything else counts as false, everywhere."""
    event = {"event": "Click", "properties": {"flag": "true", "one": 1}}
    assert not fql.compile("lowercase(event) and true").matches(event)
    assert not fql.compile("properties.flag").matches(event)
    assert not fql.compile("properties.one or false").matches(event)
    assert fql.compile("!properties.flag").matches(event)


def test_functions_missing_from_tsub_are_evaluated() -> None:
    """tsub throws on uppercase, snakecase, kebabcase, titlecase, bool, string and number."""
    event = {"properties": {"name": "big order", "n": "12", "ok": "true"}}
    assert fql.compile("uppercase(properties.name) = 'BIG ORDER'").matches(event)
    assert fql.compile("snakecase(properties.name) = 'big_order'").matches(event)
    assert fql.compile("number(properties.n) > 11").matches(event)
    assert fql.compile("bool(properties.ok)").matches(event)


def test_function_arguments_may_themselves_be_calls() -> None:
    """tsub hands a nested call to length() unevaluated (so it counts the IR array);
    every argument here is evaluated first."""
    assert fql.compile("length(lowercase(event)) = 5").matches({"event": "CLICK"})


def test_question_mark_matches_one_character_even_outside_the_bmp() -> None:
    """tsub's `?` matches one UTF-16 unit, half an emoji; Segment's Go glob and we match
    one character."""
    assert fql.glob_match("😀", "?")
    assert fql.glob_match("a😀b", "a?b")
