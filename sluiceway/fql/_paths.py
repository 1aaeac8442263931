"""Field paths: Segment's dotted, backslash-escaped way of naming a value in an event.

`properties.product\\ 1.price` reaches `{"properties": {"product 1": {"price": ...}}}`.
A segment that is a decimal number also indexes a list (`properties.tags.0`), as
Segment's evaluators do. Anything missing along the way is null (Python None).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

# A key character FQL text may hold without a backslash.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")
_NEEDS_ESCAPE = re.compile(r"[^A-Za-z0-9_\-]")
_IR_NEEDS_ESCAPE = re.compile(r"[.\\]")
_KEYWORDS = frozenset({"and", "or", "in", "true", "false", "null", "all"})

Getter = Callable[[Any], Any]
_ABSENT = object()


def split_path(path: str) -> tuple[str, ...]:
    """The segments of a path: split at unescaped dots, `\\x` standing for x.

    Lenient on purpose: it reads both FQL text paths (`product\\ 1`) and IR paths,
    where Segment writes keys unescaped (`product 1`).
    """
    if "\\" not in path:
        return tuple(path.split("."))
    segments: list[str] = []
    current: list[str] = []
    characters = iter(path)
    for character in characters:
        if character == "\\":
            current.append(next(characters, "\\"))
        elif character == ".":
            segments.append("".join(current))
            current = []
        else:
            current.append(character)
    segments.append("".join(current))
    return tuple(segments)


def text_path(segments: tuple[str, ...]) -> str:
    """The path as FQL text writes it: every character outside a-z A-Z 0-9 _ - escaped.

    The first character is escaped too when the path would otherwise read as a number
    or a keyword (a top-level key `0` or `null`).
    """
    parts = [_NEEDS_ESCAPE.sub(lambda found: "\\" + found.group(), segment) for segment in segments]
    first = parts[0]
    if first[:1].isdigit() or first[:1] == "-" or (len(parts) == 1 and first in _KEYWORDS):
        parts[0] = "\\" + first
    return ".".join(parts)


def ir_path(segments: tuple[str, ...]) -> str:
    """The path as Segment's IR writes it: keys joined by dots, unescaped.

    Only a dot or backslash inside a key is escaped; Segment's IR has no way to say
    that, so such keys are a Sluiceway extension (documented in docs/fql.md).
    """
    return ".".join(_IR_NEEDS_ESCAPE.sub(lambda found: "\\" + found.group(), s) for s in segments)


def is_plain_key(text: str) -> bool:
    """True when `text` is a key FQL text can write without escapes."""
    return _PLAIN_KEY.fullmatch(text) is not None


def walk(value: Any, steps: tuple[tuple[str, int | None], ...], missing: Any = None) -> Any:
    """Follow (key, list index) steps from `value`; `missing` as soon as one is absent."""
    for key, index in steps:
        if isinstance(value, Mapping):
            if key not in value:
                return missing
            value = value[key]
        elif index is not None and isinstance(value, list) and index < len(value):
            value = value[index]
        else:
            return missing
    return value


def _steps(segments: tuple[str, ...]) -> tuple[tuple[str, int | None], ...]:
    return tuple((s, int(s) if s.isdigit() and s.isascii() else None) for s in segments)


def make_getter(segments: tuple[str, ...], missing: Any = None) -> Getter:
    """A function event -> value for this path, specialised for the common shapes.

    Events are plain dicts almost always, so the fast paths are dict lookups with no
    exception handling; lists and other mappings take the general walk. `missing` is
    what an absent field gives: FQL treats it as null everywhere except `length()`,
    which (as Segment's evaluator records show) tells an absent field from a null one.
    """
    steps = _steps(segments)
    if len(segments) == 1:
        (only,) = segments

        def get_top(event: Any) -> Any:
            if type(event) is dict:
                return event.get(only, missing)
            return walk(event, steps, missing)

        return get_top
    if len(segments) == 2:
        first, second = segments

        def get_nested(event: Any) -> Any:
            if type(event) is dict:
                inner = event.get(first)
                if type(inner) is dict:
                    return inner.get(second, missing)
                if inner is None:
                    return missing
            return walk(event, steps, missing)

        return get_nested

    def get_deep(event: Any) -> Any:
        value = event
        for key in segments:
            if type(value) is dict:
                value = value.get(key, _ABSENT)
                if value is _ABSENT:
                    return missing
            elif value is None:
                return missing
            else:
                return walk(event, steps, missing)
        return value

    return get_deep


@lru_cache(maxsize=512)
def _cached_getter(path: str) -> Getter:
    return make_getter(split_path(path))


def get_path(event: Any, path: str) -> Any:
    """The value at `path` in `event` (dotted, backslash-escaped); None when missing."""
    return _cached_getter(path)(event)
