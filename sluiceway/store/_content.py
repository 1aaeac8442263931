"""A mapping's trigger and field mapping are checked by the engine that will run them,
so the store never accepts what the router would later fail to compile."""

from __future__ import annotations

from typing import Any

from .. import mapping as mapping_kit
from .. import triggers
from ._rules import check_json_object
from .errors import ValidationError

SUBSCRIBE_EXAMPLE = 'type = "track" and event = "Order Completed"'


def check_subscribe(text: Any) -> str:
    """A trigger in Segment's subscription FQL; the triggers package is the judge."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("subscribe", f"is required: a trigger such as {SUBSCRIBE_EXAMPLE}")
    try:
        triggers.parse_fql(text)
    except ValueError as error:
        raise ValidationError("subscribe", str(error)) from None
    return text


def check_mapping(value: Any) -> dict[str, Any]:
    """A field mapping (mapping-kit JSON) that `mapping.validate` accepts, as a copy."""
    copy = check_json_object(value, "mapping")
    try:
        mapping_kit.validate(copy)
    except ValueError as error:
        raise ValidationError("mapping", str(error)) from None
    return copy
