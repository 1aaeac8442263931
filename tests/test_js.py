"""JavaScript value semantics shared by triggers, mappings and filters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sluiceway._js import (
    UNDEFINED,
    _exact_stringify,
    is_array_index,
    js_json_stringify,
    js_member,
    js_string,
)

KEYS = st.text(max_size=4) | st.sampled_from(["0", "1", "10", "01", "a", "²"])
LEAF = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=6)
        | st.just(UNDEFINED))
JSON = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                    max_leaves=20)


@settings(max_examples=500)
@given(JSON)
def test_fast_json_text_equals_the_exact_writer(value) -> None:
    assert js_json_stringify(value) == _exact_stringify(value)


def test_json_text_is_what_javascript_writes() -> None:
    # Each expected text is what Node 20's JSON.stringify printed for the same value.
    assert js_json_stringify({"a": 5.0, "b": [1e21, 1e-7, 1e16], "2": None, "1": "x"}) == (
        '{"1":"x","2":null,"a":5,"b":[1e+21,1e-7,10000000000000000]}')
    assert js_json_stringify({"s": "é\u2028\n"}) == '{"s":"é\u2028\\n"}'
    assert js_json_stringify(UNDEFINED) is None
    assert js_json_stringify([UNDEFINED, float("nan")]) == "[null,null]"


def test_string_of_values() -> None:
    assert [js_string(v) for v in (None, UNDEFINED, True, 1.0, [1, None, [2, 3]], {"a": 1})] == [
        "null", "undefined", "true", "1", "1,,2,3", "[object Object]"]


def test_array_indexes_are_canonical_ascii() -> None:
    assert [is_array_index(k) for k in ("0", "7", "42", "01", "²", "-1", "")] == [
        True, True, True, False, False, False, False]


def test_member_access_on_strings_counts_utf16_units() -> None:
    assert js_member("a😀", "length") == 3
    assert js_member(["x"], "length") == 1
    assert js_member({"a": 1}, "b") is UNDEFINED
