"""How liquidjs sees values: text, numbers, truthiness and JSON, in JavaScript's terms.

python-liquid parses and runs the templates; these conversions make every value come
out as liquidjs (which mapping-kit uses) would write it: `[1, [2, 3]]` prints `123`,
an object prints `[object Object]`, `3 | divided_by: 2` is `1.5`.
"""

from __future__ import annotations

import json
import math
from contextvars import ContextVar, Token
from typing import Any, TextIO

from liquid import Undefined

from .._js import UNDEFINED, js_entries, js_number, js_string, js_to_number


def plain(value: Any) -> Any:
    """A template value as JSON data: python-liquid's Undefined becomes UNDEFINED,
    a range literal `(1..3)` the list liquidjs builds from it."""
    if isinstance(value, Undefined):
        return UNDEFINED
    if isinstance(value, range):
        return list(value)
    return value


def is_nil(value: Any) -> bool:
    return value is None or value is UNDEFINED or isinstance(value, Undefined)


def stringify(value: Any) -> str:
    """liquidjs's `stringify`: nil is "", arrays are joined with nothing in between."""
    value = plain(value)
    if isinstance(value, str):
        return value
    if value is None or value is UNDEFINED:
        return ""
    if isinstance(value, list):
        return "".join(stringify(item) for item in value)
    return js_string(value)


def to_number(value: Any) -> float:
    """liquidjs's `toNumber`: `+value || 0` (NaN and nil become 0)."""
    number = js_number_of(value)
    return 0.0 if math.isnan(number) else number


def js_number_of(value: Any) -> float:
    """JavaScript's Number(value), lists included (`Number([5])` is 5)."""
    value = plain(value)
    if value is UNDEFINED:
        return math.nan
    if isinstance(value, list):
        return js_to_number(js_string(value))
    return js_to_number(value)


def to_array(value: Any) -> list[Any]:
    """liquidjs's `toArray`: nil is [], a list itself, anything else a list of one."""
    value = plain(value)
    if value is None or value is UNDEFINED:
        return []
    return value if isinstance(value, list) else [value]


def is_truthy(value: Any) -> bool:
    """Liquid truthiness (liquidjs without `jsTruthy`): only false and nil are false."""
    value = plain(value)
    return not (value is False or value is None or value is UNDEFINED)


def json_text(value: Any, space: Any = 0) -> str | None:
    """JSON.stringify(value, null, space): None where JavaScript gives undefined."""
    indent = _indent(plain(space))
    return _write(plain(value), indent, "")


def _indent(space: Any) -> str:
    if isinstance(space, bool):
        return ""
    if isinstance(space, int | float):
        return " " * max(0, min(10, int(space))) if math.isfinite(space) else ""
    if isinstance(space, str):
        return space[:10]
    return ""


def _write(value: Any, indent: str, current: str) -> str | None:
    value = plain(value)
    if value is UNDEFINED:
        return None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    inner = current + indent
    if isinstance(value, list):
        items = [_write(item, indent, inner) or "null" for item in value]
        return _wrap("[", "]", items, indent, current)
    if isinstance(value, dict):
        members = []
        for key, item in js_entries(value):
            text = _write(item, indent, inner)
            if text is not None:
                members.append(json.dumps(str(key), ensure_ascii=False) + (": " if indent else ":") + text)
        return _wrap("{", "}", members, indent, current)
    return None


def _wrap(open_: str, close: str, parts: list[str], indent: str, current: str) -> str:
    if not parts:
        return open_ + close
    if not indent:
        return open_ + ",".join(parts) + close
    inner = current + indent
    return open_ + "\n" + inner + (",\n" + inner).join(parts) + "\n" + current + close


MEMORY_LIMIT = 100_000_000
"""liquidjs's memoryLimit (1e8) as mapping-kit sets it: the sizes of the text and lists
that filters produce and the output written in one render, added up. Without `for` a
template cannot loop, but `{% assign x = x | append: x %}` doubles; this bound stops it
as liquidjs would."""

_memory_used: ContextVar[int] = ContextVar("liquid_memory_used", default=0)


class MemoryLimitExceeded(Exception):
    """More than MEMORY_LIMIT was produced in one render."""


def start_metering() -> Token[int]:
    return _memory_used.set(0)


def stop_metering(token: Token[int]) -> None:
    _memory_used.reset(token)


def charge(size: int) -> None:
    used = _memory_used.get() + size
    if used > MEMORY_LIMIT:
        raise MemoryLimitExceeded("memory alloc limit exceeded")
    _memory_used.set(used)


def write_output(buffer: TextIO, value: Any) -> int:
    """Write a value as liquidjs's emitter does, counting it against the memory limit."""
    text = stringify(value)
    charge(len(text))
    return buffer.write(text)
