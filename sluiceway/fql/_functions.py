"""FQL's built-in functions as plain Python functions of already-evaluated values.

Each takes and returns JSON-shaped values (None is FQL's null). They never raise: a value
of the wrong type gives the documented fallback (null, false, or for `length` NaN, so
that every comparison with it is false, as in Segment's evaluator).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from ._glob import glob_match

NAN = float("nan")


class _Missing:
    """The value of an absent field where it must differ from null (only `length`)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# Spellings Segment's Go services accept for booleans (strconv.ParseBool).
_TRUE_WORDS = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE_WORDS = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_NUMBER_TEXT = re.compile(r"\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def is_number(value: Any) -> bool:
    """True for FQL numbers: int or float, never bool."""
    return value.__class__ is int or value.__class__ is float


def contains(text: Any, part: Any) -> bool:
    """`contains(s, sub)`: false unless both are strings and sub occurs in s."""
    return isinstance(text, str) and isinstance(part, str) and part in text


def match(text: Any, pattern: Any) -> bool:
    """`match(s, pattern)`: whole-string glob match; false unless both are strings."""
    return glob_match(text, pattern)


def length(value: Any) -> Any:
    """`length(v)`: items of a list, UTF-8 bytes of a string, 0 for null, else NaN.

    An absent field (MISSING) is not null here: its length is NaN, so `length(x) = 0`
    is false when x is absent, as recorded from Segment's evaluator.
    """
    if isinstance(value, str):
        if value.isascii():
            return len(value)
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, list | tuple):
        return len(value)
    if value is None:
        return 0
    return NAN


def lowercase(value: Any) -> Any:
    """`lowercase(s)`; null for anything but a string."""
    return value.lower() if isinstance(value, str) else None


def uppercase(value: Any) -> Any:
    """`uppercase(s)`; null for anything but a string."""
    return value.upper() if isinstance(value, str) else None


def snakecase(value: Any) -> Any:
    """`snakecase(s)`: lower case, each space replaced by `_`; null for non-strings."""
    return value.lower().replace(" ", "_") if isinstance(value, str) else None


def kebabcase(value: Any) -> Any:
    """`kebabcase(s)`: lower case, each space replaced by `-`; null for non-strings."""
    return value.lower().replace(" ", "-") if isinstance(value, str) else None


def titlecase(value: Any) -> Any:
    """`titlecase(s)`: first letter of every space-separated word upper-cased."""
    if not isinstance(value, str):
        return None
    return " ".join(word[:1].upper() + word[1:] for word in value.split(" "))


def typeof(value: Any) -> str:
    """`typeof(v)`: "string", "number", "bool", "list", "object" or "null"."""
    if isinstance(value, str):
        return "string"
    if value is True or value is False:
        return "bool"
    if is_number(value):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return "null"


def to_bool(value: Any) -> Any:
    """`bool(v)`: booleans as they are, numbers by non-zero, Go's boolean words; else null."""
    if value is True or value is False:
        return value
    if is_number(value):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        if value in _TRUE_WORDS:
            return True
        if value in _FALSE_WORDS:
            return False
    return None


def to_string(value: Any) -> Any:
    """`string(v)`: the value's JSON text (strings unquoted, whole floats without `.0`)."""
    if isinstance(value, str):
        return value
    if value is None:
        return None
    if value is True or value is False:
        return "true" if value else "false"
    if value.__class__ is float:
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value) if math.isfinite(value) else None
    if value.__class__ is int:
        return str(value)
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


def to_number(value: Any) -> Any:
    """`number(v)`: numbers as they are, numeric strings parsed, booleans 1/0; else null."""
    if is_number(value):
        return value
    if value is True or value is False:
        return int(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        number = float(value)
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return None


# name -> (number of arguments, implementation)
FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "contains": (2, contains),
    "match": (2, match),
    "length": (1, length),
    "lowercase": (1, lowercase),
    "uppercase": (1, uppercase),
    "snakecase": (1, snakecase),
    "kebabcase": (1, kebabcase),
    "titlecase": (1, titlecase),
    "typeof": (1, typeof),
    "bool": (1, to_bool),
    "string": (1, to_string),
    "number": (1, to_number),
}
