"""FQL text: precedence, literals, paths, canonical text, and errors that say where and why."""

from __future__ import annotations

import pytest

from sluiceway import fql


@pytest.mark.parametrize(("text", "ir"), [
    ("a or b and c", ["or", "a", ["and", "b", "c"]]),
    ("a and b or c", ["or", ["and", "a", "b"], "c"]),
    ("(a or b) and c", ["and", ["or", "a", "b"], "c"]),
    ("!a and b", ["and", ["!", "a"], "b"]),
    ("!(a and b)", ["!", ["and", "a", "b"]]),
    ("!a = b", ["=", ["!", "a"], "b"]),
    ("a = 1 and b != 2", ["and", ["=", "a", {"value": 1}], ["!=", "b", {"value": 2}]]),
    ("a and b and c", ["and", "a", "b", "c"]),
    ("(a and b) and c", ["and", ["and", "a", "b"], "c"]),
    ("a or b or c", ["or", "a", "b", "c"]),
    ("x in [1, 'a', true, null]", ["in", "x", [{"value": 1}, {"value": "a"}, {"value": True}, {"value": None}]]),
    ("x in []", ["in", "x", []]),
    ("length(lowercase(x)) > 2", [">", ["length", ["lowercase", "x"]], {"value": 2}]),
])
def test_precedence_is_not_then_comparison_then_and_then_or(text: str, ir: object) -> None:
    assert fql.to_ir(text) == ir


@pytest.mark.parametrize(("text", "value"), [
    ("x = 'it''s'", None),
    ("x = 'it\\'s'", "it's"),
    ('x = "say \\"hi\\""', 'say "hi"'),
    ("x = 'back\\\\slash'", "back\\slash"),
    ("x = 'glob\\*'", "glob\\*"),
    ("x = -3.25", -3.25),
    ("x = 5e1", 50.0),
    ("x = 1E-2", 0.01),
    ("x = 007", 7),
    ("x = 'ア café'", "ア café"),
])
def test_literal_values(text: str, value: object) -> None:
    if value is None:
        with pytest.raises(fql.FqlError):
            fql.to_ir(text)
        return
    ir = fql.to_ir(text)
    assert ir[2] == {"value": value}
    assert type(ir[2]["value"]) is type(value)


@pytest.mark.parametrize(("text", "path"), [
    ("properties.product\\ 1.price", "properties.product 1.price"),
    ("context.library.version", "context.library.version"),
    ("properties.my-key_2", "properties.my-key_2"),
    ("properties.0", "properties.0"),
    ("\\null", "null"),
    ("\\0abc", "0abc"),
    ("properties.caf\\é", "properties.café"),
    ("properties.a\\.b", "properties.a\\.b"),
])
def test_paths_unescape_into_the_ir(text: str, path: str) -> None:
    assert fql.to_ir(text) == path


def test_keywords_are_not_paths_unless_escaped() -> None:
    assert fql.to_ir("null") == {"value": None}
    assert fql.to_ir("all") == {"value": True}
    assert fql.to_ir("properties.null = null") == ["=", "properties.null", {"value": None}]


@pytest.mark.parametrize("text", [
    "type = 'track'",
    "properties.product\\ 1.price = '19.99'",
    "!(type = 'track') or (a and b) and c",
    "x in ['a', 'b'] and length(properties.tags) >= 2",
    "match(properties.note, 'Hello\\\\ World')",
    "(!a) = b",
    "\\null = null",
    "\\0 = 0",
    "x = 'it\\'s'",
    "all",
])
def test_canonical_text_parses_back_to_the_same_ir(text: str) -> None:
    query = fql.compile(text)
    assert fql.compile(query.text).ir == query.ir
    assert fql.compile(query.text).text == query.text


def test_canonical_text_uses_single_quotes_and_single_spaces() -> None:
    query = fql.compile('match( event ,"Order *" )  and(type="track")')
    assert query.text == "match(event, 'Order *') and type = 'track'"


@pytest.mark.parametrize(("text", "position", "reason"), [
    ("properties.email = ", 19, "expected a value after '=' but found end of input"),
    ("", 0, "expected a condition"),
    ("   ", 3, "expected a condition"),
    ("type = 'track", 7, "unterminated string"),
    ("a and", 5, "expected a value after 'and'"),
    ("(a = 1", 6, "')' closing the '(' at position 0"),
    ("a = 1 = 2", 6, "expected 'and', 'or' or end of input but found '='"),
    ("type == 'x'", 6, "expected a value after '=' but found '='"),
    ("lenght(x) > 1", 0, "did you mean length()?"),
    ("contains(a)", 0, "contains() takes 2 arguments but was given 1"),
    ("length(a, b)", 0, "length() takes 1 argument but was given 2"),
    ("contains(a b)", 11, "expected ',' or ')' in the call of contains()"),
    ("a..b = 1", 2, "expected a field name after '.'"),
    ("x in [1, y]", 9, "a string, number, true, false or null in the list"),
    ("x in [1 2]", 8, "',' or ']' closing the list at position 5"),
    ("a && b", 2, "write 'and' or 'or'"),
    ("properties.café = 1", 14, "must escape characters outside a-z A-Z 0-9 _ -"),
    ("x = 1abc", 4, "invalid number '1a'"),
    ("x = 1e999", 4, "out of range"),
    ("x = \\", 4, "expected a character after '\\'"),
    ("a = 1)", 5, "expected 'and', 'or' or end of input but found ')'"),
    ("x = #", 4, "unexpected character '#'"),
])
def test_error_names_position_and_what_was_expected(text: str, position: int, reason: str) -> None:
    with pytest.raises(fql.FqlError) as raised:
        fql.compile(text)
    assert raised.value.position == position
    assert reason in str(raised.value)
    assert str(raised.value).startswith(f"FQL error at position {position}: ")


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="position 19"):
        fql.to_ir("properties.email = ")


@pytest.mark.parametrize("text", [
    "(" * 65 + "a" + ")" * 65,
    "!" * 65 + "a",
    "length(" * 65 + "a" + ")" * 65,
    "(" * 100_000,
    "!" * 100_000,
])
def test_deep_nesting_is_an_fql_error_not_a_crash(text: str) -> None:
    with pytest.raises(fql.FqlError, match="nesting deeper than 64"):
        fql.compile(text)


def test_nesting_within_the_bound_compiles() -> None:
    query = fql.compile("(" * 64 + "a = 1" + ")" * 64)
    assert query.matches({"a": 1})
    assert fql.from_ir(query.ir).matches({"a": 1})


def test_a_long_flat_chain_is_not_nesting() -> None:
    text = " or ".join(f"x = {n}" for n in range(5_000))
    query = fql.compile(text)
    assert query.matches({"x": 4_999})
    assert not query.matches({"x": 5_000})
    assert len(query.ir) == 5_001


def test_non_text_is_rejected() -> None:
    with pytest.raises(fql.FqlError, match="must be text"):
        fql.compile(None)  # type: ignore[arg-type]
