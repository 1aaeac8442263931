"""JavaScript's text forms of values: String(number) and JSON.stringify.

The sampler hashes the JSON text Segment's JavaScript produces, so numbers must be
written the way JavaScript writes them (`5` not `5.0`, `1e+21` not `1e21`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson


def js_number(value: float | int) -> str:
    """Format a number as JavaScript's Number.prototype.toString does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**21 else js_number(float(value))
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    digits, exponent = _shortest_digits(abs(value))
    sign = "-" if value < 0 else ""
    # `exponent` is the position of the decimal point relative to the digit string.
    if len(digits) <= exponent <= 21:
        return sign + digits + "0" * (exponent - len(digits))
    if 0 < exponent <= 21:
        return sign + digits[:exponent] + "." + digits[exponent:]
    if -6 < exponent <= 0:
        return sign + "0." + "0" * (-exponent) + digits
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    power = exponent - 1
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of a positive float, with the decimal point position."""
    mantissa, _, power = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(power) if power else 0)
    leading_zeros = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    point -= leading_zeros
    return digits.rstrip("0") or "0", point


# In orjson's output: a string (skipped), or a number token whose JavaScript form may
# differ (`5.0` is `5`, `1e16` is `10000000000000000`, `1e21` is `1e+21`). The classes
# are spelled [0-9]: `\d` matches any Unicode digit and is several times slower.
_NUMBER_TO_FIX = re.compile(r'"(?:[^"\\]|\\.)*"|(-?[0-9]+(?:\.[0-9]+)?e[-+]?[0-9]+|-?[0-9]+\.0(?![0-9]))')
# An integer-like object key: JavaScript would enumerate it before the other keys.
_INDEX_KEY = re.compile(r'[{,]"(?:0|[1-9][0-9]*)":')
# A cheap first look: without any of these, the text needs no change. One leading class
# lets the regex engine scan fast; matches inside strings only cost the slower path.
_NEEDS_A_LOOK = re.compile(r'[{,0-9](?:"[0-9]|\.0(?![0-9])|e)')


def js_json_stringify(value: Any) -> str | None:
    """Return JSON.stringify(value), or None where JavaScript returns undefined.

    orjson writes the text; only number tokens are rewritten the way JavaScript writes
    them. Values orjson cannot mirror exactly (integer-like keys, which JavaScript
    reorders; undefined; non-JSON types) take the exact, slower path.
    """
    if isinstance(value, dict | list):
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            return _exact_stringify(value)
        if _NEEDS_A_LOOK.search(text) is None:
            return text
        if _INDEX_KEY.search(text):
            return _exact_stringify(value)
        return _NUMBER_TO_FIX.sub(_fix_number, text)
    return _exact_stringify(value)


def _fix_number(match: re.Match[str]) -> str:
    token = match.group(1)
    return match.group(0) if token is None else js_number(float(token))


def _exact_stringify(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # JSON.stringify writes NaN and the infinities as null.
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        items = (_exact_stringify(item) for item in value)
        return "[" + ",".join("null" if item is None else item for item in items) + "]"
    if isinstance(value, dict):
        parts = []
        for key, item in _js_key_order(value):
            text = _exact_stringify(item)
            if text is not None:
                parts.append(json.dumps(str(key), ensure_ascii=False) + ":" + text)
        return "{" + ",".join(parts) + "}"
    return None


def _js_key_order(obj: dict) -> list[tuple[Any, Any]]:
    return js_entries(obj)


def js_entries(obj: dict) -> list[tuple[Any, Any]]:
    """Object.entries order: integer-like keys first, ascending, then the rest in order."""
    index_keys = [(k, v) for k, v in obj.items() if type(k) is str and k[:1] in _DIGITS and is_array_index(k)]
    if not index_keys:
        return list(obj.items())
    others = [(k, v) for k, v in obj.items() if not is_array_index(k)]
    return sorted(index_keys, key=lambda kv: int(kv[0])) + others


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
_DIGITS = frozenset("0123456789")


def is_array_index(key: Any) -> bool:
    """A canonical array index as JavaScript sees one: "0", "7", "42", not "01" or "²"."""
    return isinstance(key, str) and _ARRAY_INDEX.fullmatch(key) is not None and int(key) < 2**32 - 1


def js_string(value: Any) -> str:
    """JavaScript's String(value) for JSON values (objects as "[object Object]")."""
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ",".join("" if item is None or item is UNDEFINED else js_string(item) for item in value)
    return "[object Object]"


def js_to_number(value: Any) -> float:
    """JavaScript's Number(value) for JSON values; NaN where JavaScript gives NaN."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        if "_" in text:
            return math.nan  # Python accepts 1_000; JavaScript does not
        try:
            if text.lower().startswith(("0x", "0o", "0b")):
                return float(int(text, 0))
            if text.lstrip("+-").lower() in ("inf", "infinity", "nan"):
                return float(text) if text.lstrip("+-") == "Infinity" else math.nan
            return float(text)
        except ValueError:
            return math.nan
    return math.nan


class _Undefined:
    """JavaScript's `undefined`: a value that is absent, as opposed to null (None)."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED = _Undefined()


def js_truthy(value: Any) -> bool:
    """JavaScript's truthiness for JSON values."""
    if value is None or value is False or value is UNDEFINED:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def js_member(value: Any, key: str) -> Any:
    """`value[key]` in JavaScript for JSON values; UNDEFINED where JavaScript has none.

    Strings and lists answer `length` and in-range indexes (strings by UTF-16 unit);
    prototype members such as `toFixed` are deliberately not modelled.
    """
    if isinstance(value, dict):
        return value.get(key, UNDEFINED)
    if isinstance(value, str | list) and (key == "length" or is_array_index(key)):
        if isinstance(value, list):
            return len(value) if key == "length" else (value[int(key)] if int(key) < len(value) else UNDEFINED)
        units = value.encode("utf-16-le", errors="surrogatepass")
        if key == "length":
            return len(units) // 2
        index = int(key)
        if index * 2 + 2 > len(units):
            return UNDEFINED
        return units[index * 2 : index * 2 + 2].decode("utf-16-le", errors="surrogatepass")
    return UNDEFINED


def js_path_reduce(root: Any, parts: Any) -> Any:
    """`parts.reduce((o, k) => o && o[k], root)`: stops at the first falsy value."""
    value = root
    for part in parts:
        if type(value) is dict:  # the common case; an object is always truthy
            value = value.get(part, UNDEFINED)
        elif not js_truthy(value):
            return value
        else:
            value = js_member(value, part)
    return value

