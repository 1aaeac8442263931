"""Fields to JSON Schema, in the shape Segment's `fieldsToJsonSchema` produces.

The schema is what payloads are validated against (see `validation`) and what the
catalog publishes. Type mapping: string/text/password/hidden -> "string", datetime ->
["string", "number"] with format `date-like`, number/integer/boolean/object as named;
`allow_null` adds "null"; `multiple` wraps the type in an array.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import Field

JSON_SCHEMA_DRAFT = "http://json-schema.org/schema#"

_STRING_TYPES = frozenset({"string", "text", "password", "hidden"})


def _json_type(field: Field) -> str | list[str]:
    if field.type in _STRING_TYPES:
        return "string"
    if field.type == "datetime":
        return ["string", "number"]
    return field.type


def _format(field: Field) -> str | None:
    """Segment marks datetime, password and text fields with a format of the same name."""
    if field.type == "datetime":
        return "date-like"
    if field.type in ("password", "text"):
        return field.type
    return field.format


def field_to_json_schema(field: Field) -> dict[str, Any]:
    """One field's schema; object fields with `properties` nest a full object schema."""
    base_type = _json_type(field)
    schema: dict[str, Any] = {"title": field.label}
    if field.description:
        schema["description"] = field.description
    schema["type"] = base_type
    fmt = _format(field)
    if fmt is not None:
        schema["format"] = fmt
    if field.has_default:
        schema["default"] = field.default
    # Segment only emits bounds for `number` and skips a bound of 0; we honour both
    # types and 0, because a declared bound that is not enforced is a silent bug.
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    if field.maximum is not None:
        schema["maximum"] = field.maximum
    if field.choices is not None:
        schema["enum"] = field.choice_values()
    if field.allow_null:
        schema["type"] = [*_as_list(base_type), "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if field.multiple:
        schema["items"] = {"type": base_type}
        schema["type"] = "array"
        if "enum" in schema:
            schema["items"]["enum"] = schema.pop("enum")
    if field.type == "object" and field.properties is not None:
        nested = fields_to_json_schema(
            field.properties, additional_properties=field.additional_properties
        )
        if field.multiple:
            schema["items"] = nested
        else:
            schema.update(nested)
    return schema


def fields_to_json_schema(
    fields: Mapping[str, Field], *, additional_properties: bool = False
) -> dict[str, Any]:
    """The object schema for a set of fields: unknown keys are not allowed (and get stripped)."""
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "type": "object",
        "additionalProperties": additional_properties,
        "properties": {key: field_to_json_schema(f) for key, f in fields.items()},
        "required": [key for key, f in fields.items() if f.required],
    }


def _as_list(value: str | list[str]) -> list[str]:
    return list(value) if isinstance(value, list) else [value]
