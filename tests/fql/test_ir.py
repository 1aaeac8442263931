"""Segment's FQL IR in and out: shapes, validation, and agreement with the text form."""

from __future__ import annotations

from typing import Any

import pytest

from sluiceway import fql


def test_ir_shapes_match_the_recorded_vectors() -> None:
    assert fql.to_ir("type = 'track' and contains(event, 'Click')") == [
        "and", ["=", "type", {"value": "track"}], ["contains", "event", {"value": "Click"}],
    ]
    assert fql.to_ir("length(properties.tags) = 2") == ["=", ["length", "properties.tags"], {"value": 2}]
    assert fql.to_ir("properties.is_gift") == "properties.is_gift"
    assert fql.to_ir("type in ['a', 'b']") == ["in", "type", [{"value": "a"}, {"value": "b"}]]
    assert fql.to_ir("'dark-mode' in properties.features") == ["in", {"value": "dark-mode"}, "properties.features"]


def test_query_exposes_text_and_ir_of_the_same_statement() -> None:
    query = fql.from_ir(["!", ["contains", "context.library.name", {"value": "js"}]])
    assert query.text == "!contains(context.library.name, 'js')"
    assert query.ir == ["!", ["contains", "context.library.name", {"value": "js"}]]


def test_ir_is_a_fresh_copy_each_time() -> None:
    query = fql.compile("type = 'track'")
    query.ir.append("garbage")
    assert query.ir == ["=", "type", {"value": "track"}]


def test_ir_path_with_a_space_is_written_escaped_in_text() -> None:
    query = fql.from_ir(["=", "properties.product 1.price", {"value": "19.99"}])
    assert query.text == "properties.product\\ 1.price = '19.99'"
    assert query.matches({"properties": {"product 1": {"price": "19.99"}}})


def test_n_ary_and_or_from_tsub_are_read() -> None:
    query = fql.from_ir(["and", "a", "b", ["or", "c", "d", "e"]])
    assert query.matches({"a": True, "b": True, "e": True})
    assert not query.matches({"a": True, "b": True})
    assert query.text == "a and b and (c or d or e)"


def test_value_holding_a_list_is_a_list_literal() -> None:
    query = fql.from_ir(["in", "type", {"value": ["track", "page"]}])
    assert query.matches({"type": "page"})
    assert query.ir == ["in", "type", [{"value": "track"}, {"value": "page"}]]


def test_true_value_is_all() -> None:
    assert fql.from_ir({"value": True}).matches({})
    assert not fql.from_ir({"value": False}).matches({})


@pytest.mark.parametrize(("ir", "location", "reason"), [
    (None, "ir", "expected a field path string"),
    (5, "ir", "found number 5"),
    (True, "ir", "found boolean true"),
    ("", "ir", "has an empty key"),
    ("properties..x", "ir", "has an empty key"),
    ({"val": 1}, "ir", "only the key \"value\""),
    ({"value": 1, "extra": 2}, "ir", "only the key \"value\""),
    ({"value": {"a": 1}}, "ir.value", "expected a string, number, boolean or null"),
    ({"value": float("nan")}, "ir.value", "finite number"),
    ({"value": 10**4000}, "ir.value", "at most 4000 digits"),
    (["nope", "a"], "ir[0]", "unknown operator 'nope'"),
    ([5, "a"], "ir[0]", "operator or function name"),
    (["=", "a"], "ir", "'=' takes 2 operands but has 1"),
    (["!", "a", "b"], "ir", "'!' takes 1 operand but has 2"),
    (["and", "a"], "ir", "at least 2 operands"),
    (["contains", "a"], "ir", "'contains' takes 2 operands"),
    (["=", "a", [{"value": 1}, "b"]], "ir[2][1]", "list item"),
    (["=", "a", [{"value": [1]}]], "ir[2][0].value", "expected a string, number"),
    (["=", ["=", ["=", 1, 2], "a"], "b"], "ir[1][1][1]", "found number 1"),
])
def test_bad_ir_is_rejected_with_its_location(ir: Any, location: str, reason: str) -> None:
    with pytest.raises(fql.FqlError) as raised:
        fql.from_ir(ir)
    assert raised.value.position is None
    assert raised.value.location == location
    assert reason in str(raised.value)


def test_deeply_nested_ir_is_an_fql_error() -> None:
    ir: Any = "a"
    for _ in range(10_000):
        ir = ["!", ir]
    with pytest.raises(fql.FqlError, match="nesting deeper than 64"):
        fql.from_ir(ir)


def test_dotted_key_survives_ir_with_an_escape() -> None:
    # Segment's IR cannot name a key containing a dot; ours escapes it (`a\.b`).
    query = fql.compile("properties.a\\.b = 1")
    assert query.ir == ["=", "properties.a\\.b", {"value": 1}]
    assert fql.from_ir(query.ir).matches({"properties": {"a.b": 1}})
