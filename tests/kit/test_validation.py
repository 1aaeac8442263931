"""Payload validation: Segment's empty-value removal, Ajv's coercions, and clear errors."""

from __future__ import annotations

from typing import Any

import pytest

from sluiceway.kit import Action, Field, PayloadValidationError
from sluiceway.kit.validation import DROP, remove_empty_values


def _action(**fields: Field) -> Action:
    async def perform(request: Any, payload: Any, settings: Any, auth: Any) -> None:
        return None

    return Action(title="Test", fields=fields, perform=perform)


# ---- empty values (cases from Segment's remove-empty-values tests) ------------------------


def test_empty_strings_go_where_the_type_is_not_a_string_and_at_the_top_level() -> None:
    schema = {
        "type": "object",
        "properties": {"foo": {"type": "number"}, "bar": {"type": "string"}, "baz": {"type": "boolean"}},
    }

    assert remove_empty_values({"foo": "", "bar": "1", "baz": True}, schema, True) == {"bar": "1", "baz": True}
    assert remove_empty_values({"foo": "", "bar": ""}, schema, True) == {}


def test_empty_strings_inside_a_field_are_kept_when_the_type_is_a_string() -> None:
    schema = {
        "type": "object",
        "properties": {
            "product": {
                "type": "object",
                "properties": {"product_id": {"type": "string"}, "name": {"type": ["null", "string"]}},
            }
        },
    }
    payload = {"product": {"product_id": "", "name": ""}}

    assert remove_empty_values(payload, schema, True) == payload


def test_null_goes_unless_the_type_allows_it_and_untyped_values_are_left_alone() -> None:
    schema = {
        "type": "object",
        "properties": {
            "product": {
                "type": "object",
                "properties": {
                    "product_id": {"type": "string"},
                    "name": {"type": ["null", "string"]},
                    "address": {"type": "object"},
                    "traits": {"type": ["null", "object"]},
                    "age": {"type": "number"},
                    "count": {"type": ["null", "integer"]},
                    "premium": {"type": "boolean"},
                    "nested": {"type": "object"},
                },
            }
        },
    }
    payload = {
        "product": {
            "product_id": None,
            "name": None,
            "address": None,
            "traits": None,
            "age": None,
            "count": None,
            "premium": None,
            "location": None,
            "nested": {"foo": None, "bar": ""},
        }
    }

    assert remove_empty_values(payload, schema, True) == {
        "product": {
            "name": None,
            "traits": None,
            "count": None,
            "location": None,
            "nested": {"foo": None, "bar": ""},
        }
    }


def test_empty_objects_stay_because_they_may_be_acceptable() -> None:
    schema = {"type": "object", "properties": {"foo": {"type": "object"}}}

    assert remove_empty_values({"foo": {}}, schema, True) == {"foo": {}}
    assert remove_empty_values(None, {"type": "string"}) is DROP


def test_a_null_top_level_field_is_dropped_and_then_missing_if_required() -> None:
    action = _action(email=Field(label="Email", required=True))

    with pytest.raises(PayloadValidationError) as caught:
        action.validate({"email": None})

    assert (caught.value.field, caught.value.rule) == ("email", "required")
    assert caught.value.code == "PAYLOAD_VALIDATION_FAILED"
    assert str(caught.value) == "The root value is missing the required field 'email'."


def test_a_nullable_field_keeps_its_null() -> None:
    action = _action(email=Field(label="Email", allow_null=True))

    assert action.validate({"email": None}) == {"email": None}


# ---- coercion (Ajv with coerceTypes "array") ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "given", "expected"),
    [
        (Field(label="N", type="number"), "12", 12),
        (Field(label="N", type="number"), "12.5", 12.5),
        (Field(label="N", type="number"), True, 1),
        (Field(label="N", type="integer"), "7", 7),
        (Field(label="N", type="integer"), 3.0, 3.0),
        (Field(label="S", type="string"), 19.99, "19.99"),
        (Field(label="S", type="string"), 19.0, "19"),
        (Field(label="S", type="string"), False, "false"),
        (Field(label="B", type="boolean"), "true", True),
        (Field(label="B", type="boolean"), "false", False),
        (Field(label="B", type="boolean"), 1, True),
        (Field(label="B", type="boolean"), 0, False),
        (Field(label="S", type="string"), ["only"], "only"),
        (Field(label="D", type="datetime"), 1714564800, 1714564800),
    ],
)
def test_a_value_of_the_wrong_type_is_coerced_the_way_javascript_would(
    field: Field, given: Any, expected: Any
) -> None:
    result = _action(value=field).validate({"value": given})["value"]

    assert result == expected
    assert type(result) is type(expected)


def test_a_multiple_field_turns_a_single_value_into_a_list_and_coerces_its_items() -> None:
    action = _action(ids=Field(label="IDs", type="number", multiple=True))

    assert action.validate({"ids": "5"}) == {"ids": [5]}
    assert action.validate({"ids": ["1", 2]}) == {"ids": [1, 2]}


@pytest.mark.parametrize(
    ("field", "given", "rule"),
    [
        (Field(label="N", type="number"), "twelve", "type"),
        (Field(label="N", type="integer"), "7.5", "type"),
        (Field(label="B", type="boolean"), "yes", "type"),
        (Field(label="O", type="object"), "text", "type"),
        (Field(label="S", type="string"), {"a": 1}, "type"),
        (Field(label="S", type="string"), [1, 2], "type"),
        (Field(label="M", choices=("POST", "PUT")), "GET", "enum"),
        (Field(label="U", format="uri"), "not a url", "format"),
        (Field(label="U", format="uri"), "https://exa mple.com", "format"),
        (Field(label="E", format="email"), "jane@", "format"),
        (Field(label="D", format="date-time"), "2024-05-01", "format"),
        (Field(label="D", format="date"), "2024-02-30", "format"),
        (Field(label="D", type="datetime"), "not a date", "format"),
        (Field(label="N", type="number", minimum=1), 0, "minimum"),
        (Field(label="N", type="integer", maximum=10), 11, "maximum"),
    ],
)
def test_a_value_that_breaks_a_rule_names_the_field_and_the_rule(field: Field, given: Any, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        _action(value=field).validate({"value": given})

    assert (caught.value.field, caught.value.rule) == ("value", rule)
    assert "/value" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "given"),
    [
        (Field(label="U", format="uri"), "https://hooks.slack.com/services/T0/B0/X?x=1#top"),
        (Field(label="U", format="uri"), "mailto:jane@example.com"),
        (Field(label="U", format="uri"), "http://[::1]:8080/p"),
        (Field(label="E", format="email"), "jane.doe+tag@example.co.uk"),
        (Field(label="D", format="date-time"), "2024-05-01T12:00:00.000Z"),
        (Field(label="D", format="date-time"), "2024-05-01 12:00:00+02:00"),
        (Field(label="D", type="datetime"), "2024-05-01T12:00:00.000Z"),
        (Field(label="D", type="datetime"), "2024-05-01"),
        (Field(label="D", type="datetime"), "1714564800"),
        (Field(label="D", type="datetime"), "May 1, 2024"),
        (Field(label="D", type="datetime"), "Wed, 01 May 2024 12:00:00 GMT"),
        (Field(label="I", format="ipv4"), "203.0.113.5"),
        (Field(label="H", format="hostname"), "api.example.com"),
        (Field(label="U", format="uuid"), "123e4567-e89b-12d3-a456-426614174000"),
    ],
)
def test_well_formed_values_pass_their_format(field: Field, given: Any) -> None:
    assert _action(value=field).validate({"value": given}) == {"value": given}


def test_undeclared_keys_are_stripped_at_the_top_and_in_objects_with_declared_properties() -> None:
    action = _action(
        product=Field(label="P", type="object", properties={"id": Field(label="ID")}),
        extra=Field(label="E", type="object", properties={"id": Field(label="ID")}, additional_properties=True),
        free=Field(label="F", type="object"),
    )
    payload = {
        "product": {"id": "p1", "colour": "red"},
        "extra": {"id": "p2", "size": "L"},
        "free": {"anything": 1},
        "unknown": True,
    }

    assert action.validate(payload) == {
        "product": {"id": "p1"},
        "extra": {"id": "p2", "size": "L"},
        "free": {"anything": 1},
    }


def test_every_broken_rule_is_reported_with_its_path() -> None:
    action = _action(
        url=Field(label="URL", required=True, format="uri"),
        method=Field(label="Method", choices=("POST", "PUT")),
        items=Field(label="Items", type="object", multiple=True, properties={"qty": Field(label="Q", type="integer")}),
    )

    with pytest.raises(PayloadValidationError) as caught:
        action.validate({"method": "GET", "items": [{"qty": 1}, {"qty": "many"}]})

    assert [(field, rule) for field, rule, _ in caught.value.errors] == [
        ("url", "required"),
        ("method", "enum"),
        ("items.1.qty", "type"),
    ]
    assert "The value at /items/1/qty must be an integer but it was a string." in str(caught.value)


def test_validation_never_changes_the_callers_payload() -> None:
    action = _action(count=Field(label="C", type="number"), tags=Field(label="T", multiple=True))
    payload = {"count": "3", "tags": "a", "junk": 1}

    action.validate(payload)

    assert payload == {"count": "3", "tags": "a", "junk": 1}
