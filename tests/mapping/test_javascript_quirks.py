"""The JavaScript behaviours of mapping-kit that Sluiceway reproduces, one by one.

Each expectation is what JavaScript and mapping-kit give (see docs/mapping.md); most are
also pinned by recorded vectors, but here each quirk reads as a specification.
"""

from __future__ import annotations

import copy

import pytest

from sluiceway import mapping

EVENT = {"userId": "u1", "n": 1e21, "f": 0.1, "list": [1, None, [2, 3]], "obj": {"b": 1, "10": 2, "2": 3},
         "emoji": "a😀", "props": {"price": "19.99"}}


def both(mapping_json: object, payload: object = EVENT) -> object:
    interpreted = mapping.transform(mapping_json, payload)
    assert mapping.compile(mapping_json)(payload) == interpreted
    return interpreted


def test_a_bare_string_mapping_spreads_into_its_utf16_units() -> None:
    assert both("Hi") == {"0": "H", "1": "i"}
    assert both("😀") == {"0": "\ud83d", "1": "\ude00"}


def test_an_empty_path_is_the_whole_event_but_a_dollar_alone_is_nothing() -> None:
    assert both({"@path": ""}) == EVENT
    assert both({"@path": "$"}) is mapping.MISSING


def test_templates_write_values_as_javascript_string_does() -> None:
    assert both({"v": {"@template": "{{n}}|{{f}}|{{list}}|{{obj}}|{{missing}}|{{userId}}"}}) == {
        "v": "1e+21|0.1|1,,2,3|[object Object]||u1"}


def test_replace_patterns_are_literal_text_and_dollar_ampersand_is_the_match() -> None:
    assert both({"v": {"@replace": {"pattern": ".", "replacement": "[$&]", "value": "a.b.c"}}}) == {"v": "a[.]b[.]c"}
    assert both({"v": {"@replace": {"pattern": ".", "replacement": "-", "global": False, "value": "a.b"}}}) == {
        "v": "a-b"}


def test_replace_counts_length_in_utf16_units() -> None:
    with pytest.raises(mapping.MappingError, match="pattern should be a string of length 10 or less"):
        mapping.validate({"v": {"@replace": {"pattern": "😀" * 6, "value": "x"}}})


def test_json_encoding_puts_integer_like_keys_first() -> None:
    assert both({"v": {"@json": {"mode": "encode", "value": {"@path": "$.obj"}}}}) == {
        "v": '{"2":3,"10":2,"b":1}'}


def test_undefined_is_dropped_from_objects_and_null_in_lists() -> None:
    assert both({"a": {"@path": "$.nope"}, "b": None, "c": [{"@path": "$.nope"}]}) == {"b": None, "c": [None]}


def test_liquid_compares_and_counts_as_javascript() -> None:
    result = both({"v": {"@liquid": "{% if props.price > 9 %}y{% endif %}{{ emoji | size }}{{ 3 | divided_by: 2 }}"}})
    assert result == {"v": "y31.5"}


def test_liquid_counters_never_write_into_the_event() -> None:
    """Deliberate difference: liquidjs's increment stores its counter in the event itself,
    so a second field (or the caller) would see it. Sluiceway keeps events read-only."""
    event = copy.deepcopy(EVENT)
    result = both({"a": {"@liquid": "{% increment c %}"}, "b": {"@liquid": "{% increment c %}"}}, event)
    assert result == {"a": "0", "b": "0"}
    assert event == EVENT


def test_liquid_output_that_doubles_hits_the_memory_limit() -> None:
    template = "{% assign x = '0123456789' %}" + "{% assign x = x | append: x %}" * 30
    with pytest.raises(mapping.MappingError, match="memory alloc limit exceeded"):
        mapping.transform({"v": {"@liquid": template}})


def test_liquid_disabled_tags_and_filters_are_errors_and_unknown_filters_pass_through() -> None:
    for template in ('{% include "x" %}', "{% for x in list %}{% endfor %}", "{{ list | sort }}"):
        with pytest.raises(mapping.MappingError, match="disabled"):
            mapping.transform({"v": {"@liquid": template}}, EVENT)
    assert both({"v": {"@liquid": "{{ userId | no_such_filter: 1 }}"}}) == {"v": "u1"}


def test_a_payload_that_is_not_an_object_is_refused() -> None:
    for payload in (123, "text", [1]):
        with pytest.raises(mapping.MappingError, match="data must be an object"):
            mapping.transform({"a": 1}, payload)
        with pytest.raises(mapping.MappingError, match="data must be an object"):
            mapping.compile({"a": 1})(payload)
