"""Destination-field paths: `info.name` and `info[0].email` build nested objects and lists.

From the seeds: in destination fields, dots and brackets create nested objects and
arrays, while a field in double quotes (`"user.email"`) is one literal key. This is a
step after mapping-kit (which keeps keys as written): the mapping editor's flat list of
destination fields becomes the nested payload an action expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._js import UNDEFINED
from .errors import MappingError

PathPart = str | int


def parse_destination_path(text: str) -> tuple[PathPart, ...]:
    """`info[0].email` → ("info", 0, "email"); `"user.email"` → ("user.email",)."""
    if not isinstance(text, str) or not text:
        raise MappingError("a destination field needs a name")
    parts: list[PathPart] = []
    index = 0
    expect_name = True
    while index < len(text):
        char = text[index]
        if char == '"':
            close = text.find('"', index + 1)
            if close < 0:
                raise MappingError(f"destination field {text!r}: the quote at {index} is not closed")
            if not expect_name:
                raise MappingError(f"destination field {text!r}: expected '.' or '[' before the quote at {index}")
            parts.append(text[index + 1 : close])
            index, expect_name = close + 1, False
        elif char == "[":
            close = text.find("]", index)
            number = text[index + 1 : close] if close > 0 else ""
            if not (number.isascii() and number.isdigit()):
                raise MappingError(f"destination field {text!r}: '[' at {index} must hold a list index such as [0]")
            if expect_name:
                raise MappingError(f"destination field {text!r}: a list index at {index} needs a name before it")
            parts.append(int(number))
            index = close + 1
        elif char == ".":
            if expect_name:
                raise MappingError(f"destination field {text!r}: empty name before the '.' at {index}")
            index, expect_name = index + 1, True
        else:
            if not expect_name:
                raise MappingError(f"destination field {text!r}: expected '.' or '[' at {index}")
            end = index
            while end < len(text) and text[end] not in '.["':
                end += 1
            parts.append(text[index:end])
            index, expect_name = end, False
    if expect_name:
        raise MappingError(f"destination field {text!r}: ends with '.'")
    return tuple(parts)


def expand_destination_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Nest a flat {destination path: value} map; conflicting paths raise MappingError."""
    result: dict[str, Any] = {}
    owners: dict[tuple[PathPart, ...], str] = {}
    for text, value in fields.items():
        if value is UNDEFINED:
            continue
        path = parse_destination_path(text)
        _check_conflicts(path, text, owners)
        owners[path] = text
        _assign(result, path, value, text)
    return result


def _check_conflicts(path: tuple[PathPart, ...], text: str, owners: dict) -> None:
    for length in range(1, len(path)):
        if path[:length] in owners:
            raise MappingError(f"destination fields {owners[path[:length]]!r} and {text!r} conflict: "
                               f"{owners[path[:length]]!r} is a value, {text!r} needs it to be an object")
    for other, owner in owners.items():
        if (other[: len(path)] == path and len(other) > len(path)) or other == path:
            raise MappingError(f"destination fields {owner!r} and {text!r} conflict")


def _assign(target: Any, path: tuple[PathPart, ...], value: Any, text: str) -> None:
    for position, part in enumerate(path[:-1]):
        container: Any = [] if isinstance(path[position + 1], int) else {}
        target = _child(target, part, container, text)
    last = path[-1]
    if isinstance(last, int):
        _pad(target, last)
        target[last] = value
    else:
        target[last] = value


def _child(target: Any, part: PathPart, empty: Any, text: str) -> Any:
    if isinstance(part, int):
        if not isinstance(target, list):
            raise MappingError(f"destination field {text!r}: {part} indexes a list, but an object is there")
        _pad(target, part)
        if target[part] is None:
            target[part] = empty
        existing = target[part]
    else:
        if not isinstance(target, dict):
            raise MappingError(f"destination field {text!r}: {part!r} names an object key, but a list is there")
        existing = target.setdefault(part, empty)
    if type(existing) is not type(empty):
        raise MappingError(f"destination field {text!r}: {part!r} is used both as a list and as an object")
    return existing


def _pad(items: list, index: int) -> None:
    while len(items) <= index:
        items.append(None)
