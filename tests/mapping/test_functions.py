"""The mapping editor's functions and static values, run through mapping-kit."""

from __future__ import annotations

import pytest

from sluiceway import mapping
from sluiceway.mapping import functions as fn

EVENT = {"properties": {"email": "Buyer@Example.COM", "phone": "555-0100", "nested": {"a": {"b": 1}},
                        "json": '{"x": [1, 2]}', "note": "Hello World", "coupon": None}}


def run(m):
    return mapping.transform({"v": m}, EVENT).get("v", mapping.MISSING)


def test_static_values_of_four_types() -> None:
    assert [run(fn.static(v)) for v in ("text", True, 42, None)] == ["text", True, 42, None]
    with pytest.raises(mapping.MappingError):
        fn.static([1])


def test_coalesce_uses_the_fallback_for_null_or_missing() -> None:
    assert run(fn.coalesce(fn.path("$.properties.coupon"), fn.path("$.properties.phone"))) == "555-0100"
    assert run(fn.coalesce(fn.path("$.properties.email"), "none")) == "Buyer@Example.COM"
    assert run(fn.coalesce(fn.path("$.properties.absent"), fn.static(None))) is None


def test_case_json_flatten() -> None:
    assert run(fn.case(fn.path("$.properties.email"), "lower")) == "buyer@example.com"
    assert run(fn.json(fn.path("$.properties.json"), "decode")) == {"x": [1, 2]}
    assert run(fn.json(fn.path("$.properties.nested"), "encode")) == '{"a":{"b":1}}'
    assert run(fn.flatten(fn.path("$.properties.nested"), "_")) == {"a_b": 1}


def test_replace_with_two_values() -> None:
    assert run(fn.replace(fn.path("$.properties.note"), "Hello", "Bye", "World", "All")) == "Bye All"


def test_concatenate_text_and_variables() -> None:
    assert run(fn.concatenate("+1{{properties.phone}}")) == "+1555-0100"


def test_builders_refuse_what_the_ui_cannot_express() -> None:
    for bad in (lambda: fn.case("x", "title"), lambda: fn.json("x", "yaml"), lambda: fn.flatten("x", "")):
        with pytest.raises(mapping.MappingError):
            bad()
