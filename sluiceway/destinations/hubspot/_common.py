"""What the HubSpot actions share: the API host and HubSpot's flat property values.

HubSpot CRM properties and custom-event properties are flat: each value is a string,
number or boolean. Nested values are flattened the way Segment does it: a list becomes
its items joined with `;` (HubSpot's multi-checkbox format; object items as JSON), an
object becomes its JSON text, null is left out and strings are trimmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sluiceway.kit import json_body

API = "https://api.hubapi.com"


def trimmed(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _js_text(item: Any) -> str:
    """`String(item)` as JavaScript's `Array.join` writes it (objects as JSON)."""
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    return json_body(item).decode()


def flatten_properties(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """HubSpot property values from a free-form object (key order kept)."""
    flat: dict[str, Any] = {}
    for key, value in (properties or {}).items():
        if value is None:
            continue
        if isinstance(value, list):
            flat[key] = ";".join(_js_text(item) for item in value)
        elif isinstance(value, Mapping):
            flat[key] = json_body(value).decode()
        else:
            flat[key] = trimmed(value)
    return flat


def without_missing(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None: JSON.stringify leaves `undefined` out."""
    return {key: value for key, value in values.items() if value is not None}
