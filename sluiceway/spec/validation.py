"""The per-message rules the tracking API enforces before a message is queued.

Checks run in the order a reader would fix them: the type, then who the message is
about, then what the type requires, then the shape of the free-form objects. The
first broken rule is the one reported, with Segment's reason code where it has one.

`null` counts as absent everywhere: analytics.js sends `"userId": null` for anonymous
visitors, and a `null` object field carries nothing to reject.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._ids import NotAnId, coerce_id
from .message_types import ALIAS, GROUP, MESSAGE_TYPES, OBJECT_FIELD, PAGE, SCREEN, TRACK
from .reject import (
    CATEGORY_NOT_STRING,
    CONTEXT_NOT_OBJECT,
    EVENT_NOT_DEFINED,
    EVENT_NOT_STRING,
    GROUP_ID_REQUIRED,
    ID_NOT_STRING,
    INTEGRATIONS_NOT_OBJECT,
    INVALID_TYPE,
    MISSING_TYPE,
    NAME_NOT_STRING,
    NO_USER_ANON_ID,
    PREVIOUS_ID_REQUIRED,
    PROPERTIES_NOT_OBJECT,
    TRAITS_NOT_OBJECT,
    USER_ID_REQUIRED,
    Reject,
)

_NOT_OBJECT = {"properties": PROPERTIES_NOT_OBJECT, "traits": TRAITS_NOT_OBJECT}


def validate(message: dict[str, Any]) -> Reject | None:
    """The first rule `message` breaks, or None; `message` itself is left untouched."""
    return check_in_place(dict(message))


def check_in_place(message: dict[str, Any]) -> Reject | None:
    """Validate `message` and canonicalise it where the rules allow.

    On success the type is lower-case and every identifier present is a string (see
    `_ids` for numbers). The caller owns `message`: it is changed in place.
    """
    for check in _CHECKS:
        reject = check(message)
        if reject is not None:
            return reject
    return None


def _check_type(message: dict[str, Any]) -> Reject | None:
    kind = message.get("type")
    if kind is None or kind == "":
        return Reject(MISSING_TYPE, "every message needs a type", "type")
    lowered = kind.lower() if isinstance(kind, str) else kind
    if lowered not in MESSAGE_TYPES:
        allowed = ", ".join(MESSAGE_TYPES)
        return Reject(INVALID_TYPE, f"type must be one of {allowed}; got {kind!r}", "type")
    message["type"] = lowered
    return None


def _check_identity(message: dict[str, Any]) -> Reject | None:
    present = 0
    for field in ("userId", "anonymousId"):
        reject = _coerce(message, field, ID_NOT_STRING)
        if reject is not None:
            return reject
        present += message.get(field) is not None
    if message["type"] == ALIAS and message.get("userId") is None:
        return Reject(USER_ID_REQUIRED, "an alias call needs the new userId", "userId")
    if not present:
        return Reject(NO_USER_ANON_ID, "a message needs a userId or an anonymousId", "userId")
    return None


def _check_type_fields(message: dict[str, Any]) -> Reject | None:
    kind = message["type"]
    if kind == TRACK:
        return _check_event(message.get("event"))
    if kind in (PAGE, SCREEN):
        return _check_page_names(message)
    if kind == GROUP:
        return _require_id(message, "groupId", GROUP_ID_REQUIRED, "a group call needs a groupId")
    if kind == ALIAS:
        return _require_id(
            message, "previousId", PREVIOUS_ID_REQUIRED, "an alias call needs a previousId"
        )
    return None


def _check_event(event: object) -> Reject | None:
    if event is None or event == "":
        return Reject(EVENT_NOT_DEFINED, "a track call needs an event name", "event")
    if not isinstance(event, str):
        return Reject(EVENT_NOT_STRING, "the event name must be a string", "event")
    return None


def _check_page_names(message: dict[str, Any]) -> Reject | None:
    for field, code in (("name", NAME_NOT_STRING), ("category", CATEGORY_NOT_STRING)):
        value = message.get(field)
        if value is not None and (not isinstance(value, str) or value == ""):
            return Reject(code, f"{field} must be a non-empty string when given", field)
    return None


def _require_id(message: dict[str, Any], field: str, code: str, text: str) -> Reject | None:
    if message.get(field) is None:
        return Reject(code, text, field)
    return _coerce(message, field, ID_NOT_STRING)


def _coerce(message: dict[str, Any], field: str, code: str) -> Reject | None:
    value = message.get(field)
    if value is None or (isinstance(value, str) and value):
        return None
    try:
        message[field] = coerce_id(value)
    except NotAnId as problem:
        return Reject(code, f"{field} must be a non-empty string; it {problem}", field)
    return None


def _check_objects(message: dict[str, Any]) -> Reject | None:
    field = OBJECT_FIELD.get(message["type"])
    if field is not None and not _is_object_or_null(message.get(field)):
        return Reject(_NOT_OBJECT[field], f"{field} must be an object", field)
    if not _is_object_or_null(message.get("context")):
        return Reject(CONTEXT_NOT_OBJECT, "context must be an object", "context")
    if not _is_object_or_null(message.get("integrations")):
        return Reject(INTEGRATIONS_NOT_OBJECT, "integrations must be an object", "integrations")
    return None


def _is_object_or_null(value: object) -> bool:
    return value is None or isinstance(value, dict)


_CHECKS: tuple[Callable[[dict[str, Any]], Reject | None], ...] = (
    _check_type,
    _check_identity,
    _check_type_fields,
    _check_objects,
)
