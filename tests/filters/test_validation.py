"""Saving a filter: every broken rule is named with its field."""

from __future__ import annotations

import pytest

from sluiceway.filters import FilterError, validate_filter

GOOD = {"if": "type = 'track'", "actions": [{"type": "DROP"}], "title": "Drop tracks", "enabled": True}


def test_a_public_api_filter_is_valid() -> None:
    validate_filter(GOOD)
    validate_filter(GOOD | {"description": None, "sourceId": "s1", "destinationId": "d1"})


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"if": "type = "}, "if", "invalid FQL"),
    ({"if": ""}, "if", "required"),
    ({"actions": []}, "actions", "non-empty"),
    ({"actions": [{"type": "DROP"}, {"type": "NOPE"}]}, "actions[1].type", "must be one of"),
    ({"actions": [{"type": "SAMPLE"}]}, "actions[0].percent", "number from 0 to 1"),
    ({"actions": [{"type": "SAMPLE", "percent": 1.5}]}, "actions[0].percent", "from 0 to 1"),
    ({"actions": [{"type": "SAMPLE", "percent": True}]}, "actions[0].percent", "number"),
    ({"actions": [{"type": "SAMPLE", "percent": 0.5, "path": 3}]}, "actions[0].path", "string"),
    ({"actions": [{"type": "ALLOW_PROPERTIES", "fields": {}}]}, "actions[0].fields", "path"),
    ({"actions": [{"type": "DROP_PROPERTIES", "fields": {"properties": [1]}}]},
     "actions[0].fields.properties", "list of key names"),
    ({"title": "x" * 65}, "title", "at most 64"),
    ({"enabled": "yes"}, "enabled", "boolean"),
    ({"colour": "red"}, "colour", "not a field"),
])
def test_each_rule_names_its_field(change: dict, field: str, words: str) -> None:
    with pytest.raises(FilterError) as caught:
        validate_filter(GOOD | change)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_a_filter_must_be_an_object() -> None:
    with pytest.raises(FilterError, match="must be an object"):
        validate_filter(["DROP"])


def test_filter_error_is_a_value_error() -> None:
    assert issubclass(FilterError, ValueError)
