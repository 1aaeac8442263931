"""Fields compile to the JSON Schema Segment's fieldsToJsonSchema produces."""

from __future__ import annotations

import pytest

from sluiceway.kit import Choice, DefinitionError, Field, fields_to_json_schema


def test_an_object_schema_lists_properties_and_required_fields_and_forbids_others() -> None:
    schema = fields_to_json_schema(
        {
            "email": Field(label="Email", description="Their email.", required=True, format="email"),
            "age": Field(label="Age", type="integer"),
        }
    )

    assert schema == {
        "$schema": "http://json-schema.org/schema#",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "email": {"title": "Email", "description": "Their email.", "type": "string", "format": "email"},
            "age": {"title": "Age", "type": "integer"},
        },
        "required": ["email"],
    }


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (Field(label="T", type="text"), {"type": "string", "format": "text"}),
        (Field(label="T", type="password"), {"type": "string", "format": "password"}),
        (Field(label="T", type="hidden"), {"type": "string"}),
        (Field(label="T", type="datetime"), {"type": ["string", "number"], "format": "date-like"}),
        (Field(label="T", type="boolean", default=True), {"type": "boolean", "default": True}),
        (Field(label="T", type="number", minimum=0, maximum=5), {"type": "number", "minimum": 0, "maximum": 5}),
    ],
)
def test_each_field_type_maps_to_its_json_schema_type(field: Field, expected: dict) -> None:
    schema = fields_to_json_schema({"f": field})["properties"]["f"]

    assert schema == {"title": "T", **expected}


def test_nullable_choices_accept_null_as_a_type_and_as_a_choice() -> None:
    field = Field(label="M", choices=(Choice(value="a", label="A"), "b"), allow_null=True)

    schema = fields_to_json_schema({"m": field})["properties"]["m"]

    assert schema["type"] == ["string", "null"]
    assert schema["enum"] == ["a", "b", None]


def test_multiple_wraps_the_type_in_an_array_and_moves_choices_to_the_items() -> None:
    field = Field(label="Tags", multiple=True, choices=("x", "y"))

    schema = fields_to_json_schema({"tags": field})["properties"]["tags"]

    assert schema == {"title": "Tags", "type": "array", "items": {"type": "string", "enum": ["x", "y"]}}


def test_object_properties_nest_a_schema_that_forbids_undeclared_keys_unless_allowed() -> None:
    properties = {"id": Field(label="ID", required=True)}
    strict = Field(label="P", type="object", properties=properties)
    open_ended = Field(label="P", type="object", properties=properties, additional_properties=True)
    listed = Field(label="P", type="object", properties=properties, multiple=True)

    schema = fields_to_json_schema({"strict": strict, "open": open_ended, "listed": listed})["properties"]

    assert schema["strict"]["additionalProperties"] is False
    assert schema["strict"]["required"] == ["id"]
    assert schema["strict"]["properties"]["id"] == {"title": "ID", "type": "string"}
    assert schema["open"]["additionalProperties"] is True
    assert schema["listed"]["type"] == "array"
    assert schema["listed"]["items"]["properties"]["id"]["type"] == "string"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Field(label="X", type="date"),
        lambda: Field(label="X", format="phone"),
        lambda: Field(label="X", type="string", properties={}),
        lambda: Field(label="X", type="string", minimum=1),
    ],
)
def test_a_field_that_breaks_a_declaration_rule_is_refused_at_import(make) -> None:
    with pytest.raises(DefinitionError):
        make()
