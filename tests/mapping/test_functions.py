"""The mapping editor's functions and static values, run through mapping-kit both ways."""

from __future__ import annotations

import pytest

from sluiceway import mapping
from sluiceway.mapping import functions as fn

EVENT = {
    "properties": {
        "email": "Buyer@Example.COM", "phone": "555-0100", "nested": {"a": {"b": {"c": 1}, "d": 2}},
        "json": '{"x": [1, 2]}', "note": "Hello World", "coupon": None, "count": 1200, "gift": True,
    },
    "traits": {"email": "fallback@example.com"},
}


def both_ways(field_mapping: object) -> object:
    """The field's value from transform, checked equal to the compiled mapping's."""
    whole = {"v": field_mapping}
    interpreted = mapping.transform(whole, EVENT).get("v", mapping.MISSING)
    compiled = mapping.compile(whole)(EVENT).get("v", mapping.MISSING)
    assert compiled == interpreted
    return interpreted


@pytest.mark.parametrize("value", ["text", True, False, 42, 2.5, None])
def test_static_values_of_the_four_types_stand_for_themselves(value: object) -> None:
    assert both_ways(fn.static(value)) == value


def test_a_static_string_is_raw_text_and_the_other_types_are_literals() -> None:
    assert fn.static("{{not a variable}}") == "{{not a variable}}"
    assert both_ways(fn.static("{{not a variable}}")) == "{{not a variable}}"
    assert fn.static(7) == {"@literal": 7}
    with pytest.raises(mapping.MappingError, match="static"):
        fn.static([1])


def test_coalesce_uses_the_primary_when_available_and_the_fallback_otherwise() -> None:
    fallback = fn.path("$.traits.email")
    assert both_ways(fn.coalesce(fn.path("$.properties.email"), fallback)) == "Buyer@Example.COM"
    assert both_ways(fn.coalesce(fn.path("$.properties.coupon"), fallback)) == "fallback@example.com"
    assert both_ways(fn.coalesce(fn.path("$.properties.absent"), fallback)) == "fallback@example.com"
    assert both_ways(fn.coalesce(fn.path("$.properties.absent"), fn.static(None))) is None
    assert both_ways(fn.coalesce(fn.path("$.properties.absent"), fn.path("$.traits.absent"))) is mapping.MISSING


def test_case_changes_text_and_leaves_other_values() -> None:
    assert both_ways(fn.case(fn.path("$.properties.email"), "lower")) == "buyer@example.com"
    assert both_ways(fn.case(fn.path("$.properties.note"), "upper")) == "HELLO WORLD"
    assert both_ways(fn.case(fn.path("$.properties.count"), "upper")) == 1200


def test_json_encodes_compactly_and_decodes() -> None:
    assert both_ways(fn.json(fn.path("$.properties.json"), "decode")) == {"x": [1, 2]}
    assert both_ways(fn.json(fn.path("$.properties.nested"), "encode")) == '{"a":{"b":{"c":1},"d":2}}'


def test_flatten_gives_the_seeds_example() -> None:
    assert both_ways(fn.flatten(fn.path("$.properties.nested"))) == {"a.b.c": 1, "a.d": 2}
    assert both_ways(fn.flatten(fn.path("$.properties.nested"), "_")) == {"a_b_c": 1, "a_d": 2}


def test_replace_up_to_two_values_in_text_numbers_and_booleans() -> None:
    assert both_ways(fn.replace(fn.path("$.properties.note"), "Hello", "Bye", "World", "All")) == "Bye All"
    assert both_ways(fn.replace(fn.path("$.properties.count"), "00", "11")) == "1211"
    assert both_ways(fn.replace(fn.path("$.properties.gift"), "true", "yes")) == "yes"


def test_replace_first_only_and_ignoring_case_positionally() -> None:
    only_first = fn.replace("a-a-a", "a", "b", None, None, False)
    assert only_first["@replace"]["global"] is False
    assert both_ways(only_first) == "b-a-a"
    assert both_ways(fn.replace(fn.path("$.properties.note"), "hello", "Bye", None, None, True, True)) == "Bye World"


def test_concatenate_joins_text_and_variables() -> None:
    assert both_ways(fn.concatenate("+1{{properties.phone}}")) == "+1555-0100"
    assert fn.concatenate("+1{{properties.phone}}") == {"@template": "+1{{properties.phone}}"}


@pytest.mark.parametrize(("build", "named"), [
    (lambda: fn.case("x", "title"), "operator"),
    (lambda: fn.json("x", "yaml"), "mode"),
    (lambda: fn.flatten("x", ""), "separator"),
    (lambda: fn.replace("x", ""), "pattern"),
    (lambda: fn.replace("x", "a" * 11), "pattern"),
    (lambda: fn.replace("x", "a", "b" * 11), "replacement"),
    (lambda: fn.replace("x", "a", "b", "c" * 11), "pattern2"),
    (lambda: fn.replace("x", "a", "b", None, "d"), "replacement2"),
    (lambda: fn.concatenate(5), "template"),
    (lambda: fn.coalesce({"@path": 5}, "x"), "@path"),
])
def test_builders_refuse_what_the_editor_cannot_express(build, named: str) -> None:
    with pytest.raises(mapping.MappingError, match=named):
        build()
