"""What trigger FQL means, and how malformed triggers are refused."""

from __future__ import annotations

import pytest

from sluiceway import triggers
from sluiceway.triggers import TriggerError


def test_value_with_quotes_reads_as_segment_reads_it() -> None:
    """Segment's strings have no escapes; text glued to the closing quote is dropped."""
    ast = triggers.parse_fql('event = "Order \\"Special\\""')
    assert ast["children"] == [{"type": "event", "operator": "=", "value": "Order \\"}]


def test_nested_groups_keep_segments_shape() -> None:
    ast = triggers.parse_fql('type = "track" and (event = "A" or event = "B")')
    assert ast == {"type": "group", "operator": "and", "children": [
        {"type": "event-type", "operator": "=", "value": "track"},
        {"type": "group", "operator": "or", "children": [
            {"type": "event", "operator": "=", "value": "A"},
            {"type": "event", "operator": "=", "value": "B"}]}]}
    assert triggers.validate(ast, {"type": "track", "event": "B"})
    assert not triggers.validate(ast, {"type": "track", "event": "C"})


@pytest.mark.parametrize(("text", "position", "words"), [
    ('type = "track" and', 18, "expected a condition"),
    ("type =", 6, "expected a value"),
    ('type == "track"', 6, "expected a value"),
    ('type = "track" and event = "A" or event = "B"', 31, "ALL (and) or ANY (or)"),
    ('type in ["track"]', 5, "expected a comparison"),
    ("type = 'track'", 7, "double quotes"),
    ("properties.revenue > 5e1", 21, "not a number"),
    ('foo = "bar"', 0, "unknown field 'foo'"),
    ('properties = "x"', 0, "unknown field"),
    ('event > "A"', 8, "= or !="),
    ('contains(type, "tr")', 9, "cannot test type"),
    ('match(event, "Order")', 13, "prefix*"),
    ('!properties.a = 1', 0, "only negate"),
    ('type = "track', 7, "no closing double quote"),
    ("", 0, "expected a condition"),
    ("(" * 40 + 'type = "t"' + ")" * 40, 33, "nest deeper"),
])
def test_malformed_trigger_is_refused_with_position(text: str, position: int, words: str) -> None:
    with pytest.raises(TriggerError) as caught:
        triggers.parse_fql(text)
    assert caught.value.position == position
    assert words in str(caught.value)


@pytest.mark.parametrize(("text", "words"), [
    ("properties.products.$.price = 1", "inside arrays"),
    ("properties._ok~ = 1", "tildes"),
    ('traits.\\1abc = "x"', "Invalid Trigger: trait name '1abc'"),
])
def test_field_rules_apply_to_fql_text(text: str, words: str) -> None:
    with pytest.raises(TriggerError, match=words.replace("$", r"\$")):
        triggers.parse_fql(text)


def test_fields_are_case_sensitive() -> None:
    match = triggers.compile('properties.Plan = "pro"')
    assert match({"properties": {"Plan": "pro"}})
    assert not match({"properties": {"plan": "pro"}})


def test_does_not_exist_matches_null_and_missing() -> None:
    absent = triggers.compile("properties.coupon = null")
    assert absent({"properties": {"coupon": None}})
    assert absent({"properties": {}})
    assert absent({})
    assert not absent({"properties": {"coupon": ""}})


def test_paths_read_like_javascript() -> None:
    """`.length` of strings and lists, indexes, and falsy values short-circuit."""
    assert triggers.compile("properties.tags.length = 2")({"properties": {"tags": ["a", "b"]}})
    assert triggers.compile("properties.products[0].sku = \"S\"")({"properties": {"products": [{"sku": "S"}]}})
    assert triggers.compile("properties.zero.deeper = 0")({"properties": {"zero": 0}})
    assert triggers.compile("properties.tags[1] = \"b\"")({"properties": {"tags": ["a", "b"]}})


def test_equals_compares_text_and_number_equals_only_numbers() -> None:
    text = triggers.compile("userId = 12345")
    assert text({"userId": "12345"})
    assert not text({"userId": 12345})
    number = triggers.compile("properties.qty = 3")
    assert number({"properties": {"qty": 3.0}})
    assert not number({"properties": {"qty": "3"}})
    assert not number({"properties": {"qty": True}})


def test_match_patterns_read_as_segment_reads_them() -> None:
    """A trailing * means "starts with" and every other character is literal."""
    ast = triggers.parse_fql('match(event, "*der*")')
    assert ast["children"] == [{"type": "event", "operator": "starts_with", "value": "*der"}]
    assert triggers.generate_fql(ast) == 'match(event, "*der*")'


@pytest.mark.parametrize("name", ["or", "and"])
def test_property_named_like_a_conjunction_round_trips(name: str) -> None:
    """Found by Hypothesis in CI: `properties.or != null` must parse, since only a name can follow '.'."""
    ast = {"type": "group", "operator": "and", "children": [
        {"type": "event", "operator": "=", "value": "0"},
        {"type": "event-property", "name": name, "operator": "exists"},
    ]}
    text = triggers.generate_fql(ast)
    assert triggers.parse_fql(text) == ast
    assert triggers.validate(ast, {"event": "0", "properties": {name: 1}})
    assert not triggers.validate(ast, {"event": "0", "properties": {}})
