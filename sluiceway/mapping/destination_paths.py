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
    """Nest a flat {destination path: value} map.

    Fields whose value is MISSING are left out, as mapping-kit leaves out undefined
    keys. Two fields conflict when one needs a path to hold a value and the other needs
    it to hold an object or a list (`info` and `info.name`), when one needs an object
    and the other a list (`info.name` and `info[0]`), or when both write the same path;
    the MappingError names both fields.
    """
    claims: dict[tuple[PathPart, ...], tuple[str, str]] = {}
    placed: list[tuple[tuple[PathPart, ...], Any]] = []
    for text, value in fields.items():
        if value is UNDEFINED:
            continue
        path = parse_destination_path(text)
        for depth in range(1, len(path) + 1):
            _claim(claims, path[:depth], _kind_at(path, depth), text)
        placed.append((path, value))
    result: dict[str, Any] = {}
    for path, value in placed:
        _assign(result, path, value)
    return result


def _kind_at(path: tuple[PathPart, ...], depth: int) -> str:
    """What the field needs at path[:depth]: its value, or a list or object to go on."""
    if depth == len(path):
        return "a value"
    return "a list" if isinstance(path[depth], int) else "an object"


def _claim(claims: dict, prefix: tuple[PathPart, ...], kind: str, text: str) -> None:
    earlier = claims.setdefault(prefix, (kind, text))
    if earlier[1] == text:
        return
    where = _path_text(prefix)
    if earlier[0] == kind == "a value":
        raise MappingError(f"destination fields {earlier[1]!r} and {text!r} conflict: both write {where}")
    if earlier[0] != kind:
        raise MappingError(f"destination fields {earlier[1]!r} and {text!r} conflict: {earlier[1]!r} needs "
                           f"{where} to hold {earlier[0]}, {text!r} needs it to hold {kind}")


def _path_text(prefix: tuple[PathPart, ...]) -> str:
    out = ""
    for part in prefix:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if part and not any(char in part for char in '.["]') else f'"{part}"'
            out += ("." if out else "") + name
    return out


def _assign(target: Any, path: tuple[PathPart, ...], value: Any) -> None:
    """Place one value; the paths were checked, so containers are of the right kind."""
    for position, part in enumerate(path[:-1]):
        empty: Any = [] if isinstance(path[position + 1], int) else {}
        if isinstance(part, int):
            _pad(target, part)
            if target[part] is None:
                target[part] = empty
            target = target[part]
        else:
            target = target.setdefault(part, empty)
    last = path[-1]
    if isinstance(last, int):
        _pad(target, last)
    target[last] = value


def _pad(items: list, index: int) -> None:
    while len(items) <= index:
        items.append(None)
