"""Checks shared by every service; each failure names the field and the rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from ._ids import SLUG_MAX_LENGTH, SLUG_PATTERN
from .errors import ValidationError

NAME_MAX_LENGTH = 255
_KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,127}")


def check_name(value: Any, field: str = "name", max_length: int = NAME_MAX_LENGTH) -> str:
    """A display name: a non-blank string of at most `max_length` characters, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "is required and must be a non-blank string")
    trimmed = value.strip()
    if len(trimmed) > max_length:
        raise ValidationError(field, f"must be at most {max_length} characters, got {len(trimmed)}")
    return trimmed


def check_slug(value: Any, field: str = "slug") -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.fullmatch(value):
        raise ValidationError(
            field,
            f"must be 1-{SLUG_MAX_LENGTH} lower-case letters, digits and inner dashes, got {value!r}",
        )
    return value


def check_key(value: Any, field: str) -> str:
    """A catalog key such as a destination type or an action: `[A-Za-z][A-Za-z0-9_.-]*`."""
    if not isinstance(value, str) or not _KEY_PATTERN.fullmatch(value):
        raise ValidationError(
            field,
            "must start with a letter and use letters, digits, '_', '.' or '-' (at most 128), "
            f"got {value!r}",
        )
    return value


def check_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be true or false, got {value!r}")
    return value


def check_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, f"must be an id (a non-empty string), got {value!r}")
    return value


def check_json_object(value: Any, field: str) -> dict[str, Any]:
    """A JSON object (string keys, JSON values), returned as a fresh deep copy."""
    if not isinstance(value, dict):
        raise ValidationError(field, f"must be an object, got {type(value).__name__}")
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError as error:
        raise ValidationError(field, f"must hold JSON values only: {error}") from None


def free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`... the first that `taken` says is free."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate
