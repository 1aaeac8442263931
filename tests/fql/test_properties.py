"""Property tests: no input escapes as anything but FqlError, and text and IR always agree."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway import fql

# -- hostile input ------------------------------------------------------------------------

TOKENS = [
    "a", "b.c", "properties.x", "\\", "\\ ", ".", "..", "(", ")", "[", "]", ",", "'", '"',
    "'s'", '"d"', "'un", "1", "-2.5", "1e5", "1e999", "-", "=", "!=", "!", ">", ">=", "<",
    "<=", "==", "and", "or", "in", "true", "false", "null", "all", "contains", "match",
    "length", "lowercase", "typeof", "bool", "nope", "&&", "#", "é", "\x00", "9" * 30,
]


def _compile_or_fql_error(text: str) -> fql.Query | None:
    try:
        return fql.compile(text)
    except fql.FqlError as error:
        assert error.position is not None and 0 <= error.position <= len(text)
        return None


@given(st.text(max_size=60))
def test_random_text_raises_only_fql_error(text: str) -> None:
    _compile_or_fql_error(text)


@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from(["", " "]))
def test_random_token_soup_raises_only_fql_error(tokens: list[str], separator: str) -> None:
    query = _compile_or_fql_error(separator.join(tokens))
    if query is not None:
        assert query.matches({"a": True, "properties": {"x": 1}}) in (True, False)


@pytest.mark.slow
@settings(max_examples=5_000)
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.sampled_from(["", " "]))
def test_random_token_soup_raises_only_fql_error_thoroughly(tokens: list[str], separator: str) -> None:
    _compile_or_fql_error(separator.join(tokens))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["a", "b.c", "=", "and", "!", "in", "contains", "length", "value", ""]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["value", "x"]), children, max_size=2),
    max_leaves=15,
)


@given(JSON)
def test_random_ir_raises_only_fql_error_and_valid_ir_round_trips(ir: Any) -> None:
    try:
        query = fql.from_ir(ir)
    except fql.FqlError as error:
        assert error.position is None and error.location is not None
        return
    assert fql.to_ir(query.text) == query.ir
    assert fql.from_ir(query.ir).text == query.text


# -- valid statements ---------------------------------------------------------------------

PATHS = ["a", "b", "l", "s", "properties.x", "properties.l", "properties.product\\ 1", "properties.a\\.b", "n.0"]
STRINGS = st.text(alphabet="ab'\\* ?[]é", max_size=5)


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


SCALARS = st.one_of(
    STRINGS.map(_quote),
    st.integers(-3, 3).map(str),
    st.sampled_from(["1.5", "-0.5", "true", "false", "null"]),
)
LISTS = st.lists(SCALARS, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
UNARY = ["length", "lowercase", "uppercase", "snakecase", "kebabcase", "titlecase", "typeof",
         "bool", "string", "number"]


def _values(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda f, x: f"{f}({x})", st.sampled_from(UNARY), children),
        st.builds(lambda f, x, y: f"{f}({x}, {y})", st.sampled_from(["contains", "match"]), children, children),
    )


VALUES = st.recursive(st.sampled_from(PATHS) | SCALARS, _values, max_leaves=4)
COMPARISONS = st.one_of(
    st.builds(lambda x, op, y: f"{x} {op} {y}", VALUES, st.sampled_from(["=", "!=", ">", ">=", "<", "<="]), VALUES),
    st.builds(lambda x, y: f"{x} in {y}", VALUES, LISTS | st.sampled_from(PATHS)),
    VALUES,
    st.just("all"),
)


def _conditions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        children.map(lambda c: f"!({c})"),
        st.builds(lambda a, b: f"({a}) and ({b})", children, children),
        st.builds(lambda a, b, c: f"{a} or {b} or ({c})", children, children, children),
    )


STATEMENTS = st.recursive(COMPARISONS, _conditions, max_leaves=6)

LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.5, -0.5]), STRINGS,
)
EVENT_VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["x", "l", "a.b", "product 1", "0"]), children, max_size=3),
    max_leaves=8,
)
EVENTS = st.dictionaries(st.sampled_from(["a", "b", "l", "s", "properties", "n"]), EVENT_VALUES, max_size=6)


def _assert_text_and_ir_agree(text: str, events: list[dict]) -> None:
    query = fql.compile(text)
    through_ir = fql.from_ir(json.loads(json.dumps(fql.to_ir(text))))
    canonical = fql.compile(query.text)
    assert canonical.ir == query.ir
    assert canonical.text == query.text
    for event in events:
        expected = query.matches(event)
        assert expected in (True, False)
        assert through_ir.matches(event) is expected, (text, event)
        assert canonical.matches(event) is expected, (query.text, event)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(STATEMENTS, st.lists(EVENTS, min_size=1, max_size=4))
def test_text_and_its_ir_agree_on_every_event(text: str, events: list[dict]) -> None:
    _assert_text_and_ir_agree(text, events)


@pytest.mark.slow
@settings(max_examples=3_000, suppress_health_check=[HealthCheck.too_slow])
@given(STATEMENTS, st.lists(EVENTS, min_size=1, max_size=8))
def test_text_and_its_ir_agree_on_every_event_thoroughly(text: str, events: list[dict]) -> None:
    _assert_text_and_ir_agree(text, events)
