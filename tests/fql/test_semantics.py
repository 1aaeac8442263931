"""What FQL statements mean: operators, null handling, functions, and where we differ from tsub."""

from __future__ import annotations

import pytest

from sluiceway import fql

ORDER = {
    "type": "track",
    "event": "Order Completed",
    "userId": "user-1",
    "properties": {
        "revenue": 99.5,
        "count": 3,
        "coupon": None,
        "is_gift": True,
        "tags": ["sale", "vip", 7, True, None],
        "email": "Buyer@Example.COM",
        "note": "Hello World",
        "unicode": "ア café",
        "product 1": {"price": "19.99"},
        "a.b": "dotted key",
        "dims": {"w": 2, "h": 3},
        "products": [{"sku": "S-1"}, {"sku": "S-2"}],
    },
}


def holds(text: str, event: dict = ORDER) -> bool:
    """The statement's result through both the compiled text and its IR."""
    result = fql.compile(text).matches(event)
    assert fql.from_ir(fql.to_ir(text)).matches(event) is result
    return result


# -- equality --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("properties.count = 3", True),
    ("properties.count = 3.0", True),
    ("properties.count = '3'", False),
    ("1 = '1'", False),
    ("true = 1", False),
    ("properties.is_gift = 1", False),
    ("properties.is_gift = true", True),
    ("properties.coupon = null", True),
    ("properties.coupon = false", False),
    ("properties.coupon = 0", False),
    ("properties.count != '3'", True),
    ("properties.count != 3", False),
    ("properties.dims = properties.dims", True),
])
def test_equality_is_strict_about_types(text: str, expected: bool) -> None:
    assert holds(text) is expected


# -- ordering --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("properties.revenue > 99", True),
    ("properties.revenue >= 99.5", True),
    ("properties.revenue < 99.5", False),
    ("properties.revenue <= 100", True),
    ("99 < properties.revenue", True),
    ("100 <= properties.revenue", False),
    ("properties.count < properties.revenue", True),
    ("properties.note > 'Hello'", True),
    ("properties.note < 'Hello'", False),
    ("'a' < 'b'", True),
    ("properties.revenue > '1'", False),
    ("properties.note > 1", False),
    ("properties.is_gift > 0", False),
    ("properties.coupon < 1", False),
    ("properties.nothing < 1", False),
    ("properties.tags > 1", False),
    ("properties.count > null", False),
])
def test_ordering_compares_numbers_or_strings_and_nothing_else(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_string_ordering_is_by_code_point() -> None:
    assert holds("'Z' < 'a'")
    assert holds("'é' > 'z'")


# -- boolean logic ---------------------------------------------------------------------

def test_and_binds_tighter_than_or() -> None:
    assert holds("type = 'identify' and event = 'x' or userId = 'user-1'")
    assert not holds("type = 'identify' and (event = 'x' or userId = 'user-1')")


def test_a_bare_path_holds_only_when_it_is_exactly_true() -> None:
    assert holds("properties.is_gift")
    assert not holds("properties.count")  # 3 is not true
    assert not holds("properties.note")
    assert not holds("properties.nothing")
    assert holds("!properties.nothing")


def test_null_counts_as_false_in_and_or_not() -> None:
    assert not holds("properties.coupon or properties.nothing")
    assert holds("!properties.coupon and !properties.nothing")


def test_all_matches_every_event() -> None:
    assert holds("all", {})
    assert holds("all", ORDER)


def test_a_query_never_raises_for_odd_events() -> None:
    query = fql.compile("properties.a.b = 1 or length(properties.x) > 1 or 'a' in properties.l")
    for event in ({}, {"properties": None}, {"properties": []}, {"properties": "text"},
                  {"properties": {"a": [1, 2]}}, {"properties": {"l": {"a": 1}}}):
        assert query.matches(event) is False


# -- in --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("type in ['track', 'identify']", True),
    ("type in ['page']", False),
    ("properties.count in [1, 2, 3]", True),
    ("properties.count in ['3']", False),
    ("properties.is_gift in [1]", False),
    ("properties.is_gift in [true]", True),
    ("properties.coupon in [null]", True),
    ("properties.nothing in [null]", True),
    ("properties.count in []", False),
    ("'vip' in properties.tags", True),
    ("7 in properties.tags", True),
    ("'7' in properties.tags", False),
    ("true in properties.tags", True),
    ("1 in properties.tags", False),
    ("null in properties.tags", True),
    ("'vip' in properties.note", False),
    ("'vip' in properties.nothing", False),
])
def test_in_is_strict_membership(text: str, expected: bool) -> None:
    assert holds(text) is expected


# -- functions -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("contains(properties.email, '@Example')", True),
    ("contains(properties.email, '@example')", False),
    ("contains(properties.nothing, 'x')", False),
    ("contains(properties.revenue, '9')", False),
    ("contains(properties.email, properties.email)", True),
    ("contains(properties.email, 1)", False),
    ("match(properties.email, '*@Example.COM')", True),
    ("match(properties.email, '*@example.com')", False),
    ("match(properties.nothing, '*')", False),
    ("match(properties.note, properties.note)", True),
    ("match(properties.note, 5)", False),
])
def test_contains_and_match_need_strings(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_length_of_other_types_compares_false() -> None:
    assert not holds("length(properties.count) = 0")
    assert not holds("length(properties.count) > 0")
    assert not holds("length(properties.count) < 1")


@pytest.mark.parametrize(("text", "expected"), [
    ("lowercase(properties.email) = 'buyer@example.com'", True),
    ("uppercase(properties.email) = 'BUYER@EXAMPLE.COM'", True),
    ("lowercase(properties.count) = null", True),
    ("lowercase(properties.nothing) = null", True),
    ("snakecase(properties.note) = 'hello_world'", True),
    ("kebabcase(properties.note) = 'hello-world'", True),
    ("titlecase('hello big world') = 'Hello Big World'", True),
    ("titlecase(properties.count) = null", True),
])
def test_string_functions(text: str, expected: bool) -> None:
    assert holds(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("bool('true') = true", True),
    ("bool('0') = false", True),
    ("bool(1) = true", True),
    ("bool(0) = false", True),
    ("bool('yes') = null", True),
    ("bool(properties.is_gift)", True),
    ("string(3) = '3'", True),
    ("string(99.5) = '99.5'", True),
    ("string(true) = 'true'", True),
    ("string(properties.tags) = '[\"sale\",\"vip\",7,true,null]'", True),
    ("string(null) = null", True),
    ("number('19.99') = 19.99", True),
    ("number(properties.product\\ 1.price) > 19", True),
    ("number('abc') = null", True),
    ("number(true) = 1", True),
])
def test_conversions(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_function_of_a_literal_is_folded_at_compile_time() -> None:
    assert fql.compile("length('abc') = 3").matches({})


def test_length_of_a_number_is_not_equal_even_to_itself() -> None:
    # As in tsub, where it is NaN.
    assert not holds("length(properties.count) = length(properties.count)")
    assert holds("length(properties.count) != length(properties.count)")


# -- paths -----------------------------------------------------------------------------

def test_escaped_path_reaches_key_with_a_space() -> None:
    assert holds("properties.product\\ 1.price = '19.99'")


def test_escaped_dot_reaches_a_dotted_key() -> None:
    assert holds("properties.a\\.b = 'dotted key'")
    assert not holds("properties.a.b = 'dotted key'")


def test_numeric_segment_indexes_a_list() -> None:
    assert holds("properties.products.1.sku = 'S-2'")
    assert holds("properties.products.2.sku = null")
