"""Checks a destination filter in the Public API's shape before it is saved.

Each failure names the field and the rule, so the API can answer 400 with a message a
user can act on; the engine relies on these checks and fails closed when they fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import fql
from .errors import FilterError

ACTION_TYPES = ("SAMPLE", "DROP", "DROP_PROPERTIES", "ALLOW_PROPERTIES")
MAX_TITLE_LENGTH = 64
_TYPE_NAMES = {str: "string", bool: "boolean"}
_FILTER_KEYS = {"id", "sourceId", "destinationId", "if", "actions", "title", "description",
                "enabled", "createdAt", "updatedAt"}


def validate_filter(data: Any) -> None:
    """Raise FilterError for the first rule `data` breaks."""
    if not isinstance(data, Mapping):
        raise FilterError("", f"a filter must be an object, got {_kind(data)}")
    unknown = sorted(set(data) - _FILTER_KEYS)
    if unknown:
        raise FilterError(unknown[0], "is not a field of a destination filter")
    _check_condition(data.get("if"))
    _check_actions(data.get("actions"))
    _check_optional(data, "title", str)
    title = data.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE_LENGTH:
        raise FilterError("title", f"must be at most {MAX_TITLE_LENGTH} characters, got {len(title)}")
    if data.get("description") is not None:
        _check_optional(data, "description", str)
    _check_optional(data, "enabled", bool)


def validate_action(action: Any, field: str = "action") -> None:
    """Raise FilterError when one action is malformed."""
    if not isinstance(action, Mapping):
        raise FilterError(field, f"must be an object, got {_kind(action)}")
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        raise FilterError(f"{field}.type", f"must be one of {', '.join(ACTION_TYPES)}, got {kind!r}")
    if kind == "SAMPLE":
        _check_sample(action, field)
    elif kind in ("DROP_PROPERTIES", "ALLOW_PROPERTIES"):
        _check_fields(action.get("fields"), f"{field}.fields")


def _check_condition(condition: Any) -> None:
    if not isinstance(condition, str) or not condition.strip():
        raise FilterError("if", "is required and must be an FQL statement such as \"all\"")
    try:
        fql.compile(condition)
    except fql.FqlError as error:
        raise FilterError("if", f"invalid FQL: {error}") from error


def _check_actions(actions: Any) -> None:
    if not isinstance(actions, list) or not actions:
        raise FilterError("actions", "must be a non-empty list of actions")
    for index, action in enumerate(actions):
        validate_action(action, f"actions[{index}]")


def _check_sample(action: Mapping, field: str) -> None:
    percent = action.get("percent")
    if isinstance(percent, bool) or not isinstance(percent, int | float):
        raise FilterError(f"{field}.percent", "is required and must be a number from 0 to 1")
    if not 0 <= percent <= 1:
        raise FilterError(f"{field}.percent", f"must be from 0 to 1, got {percent}")
    path = action.get("path")
    if path is not None and not isinstance(path, str):
        raise FilterError(f"{field}.path", f"must be a string, got {_kind(path)}")


def _check_fields(fields: Any, field: str) -> None:
    if not isinstance(fields, Mapping) or not fields:
        raise FilterError(field, "must be an object mapping a path (\"\" for the top level) to keys")
    for path, keys in fields.items():
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            raise FilterError(f"{field}.{path}" if path else field, "must be a list of key names")


def _check_optional(data: Mapping, key: str, kind: type) -> None:
    if key in data and not isinstance(data[key], kind):
        raise FilterError(key, f"must be a {_TYPE_NAMES[kind]}, got {_kind(data[key])}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
