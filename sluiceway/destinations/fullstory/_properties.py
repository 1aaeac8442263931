"""FullStory property names: only `[A-Za-z0-9_]`, with an optional type suffix.

FullStory's custom properties are named `[A-Za-z0-9_]+`; the v1 APIs also want a type
suffix (`plan_str`, `price_real`, `tags_strs`). Names are normalised up to five levels
deep, keeping a known suffix: `first-property` -> `firstproperty`, `typeSuffixed_bool`
stays. With `type_suffix` the suffix is inferred from the value (numbers are `_real`,
single objects get none); with `camel_case` (v1 Identify) names are camel-cased first.

One deliberate difference from Segment: a list mixing types is sent as a list. Segment's
walk treats it as an object and sends `{"0": ..., "1": ...}`, which FullStory does not need.
Camel-casing follows lodash's `camelCase` for ASCII names (its word rules for other
scripts are not reproduced; those letters are stripped afterwards anyway).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 5
_UNSUPPORTED = re.compile(r"[^A-Za-z0-9_]")
# lodash's words for ASCII: "HTMLParser" -> HTML, Parser; "plan2go" -> plan, 2, go.
_WORD = re.compile(
    r"[A-Z]?[a-z]+(?=[^A-Za-z0-9]|[A-Z]|$)|[A-Z]+(?=[^A-Za-z0-9]|[A-Z][a-z]|$)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+"
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _all(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


# In inference order: a number is `real` before it is `int`; an empty list is `strs`.
_TYPES: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "real": _is_number,
    "int": lambda v: _is_number(v) and float(v).is_integer(),
    "date": lambda v: False,  # JSON has no dates; the suffix is still a known one
    "strs": _all(lambda v: isinstance(v, str)),
    "bools": _all(lambda v: isinstance(v, bool)),
    "reals": _all(_is_number),
    "ints": _all(lambda v: _is_number(v) and float(v).is_integer()),
    "dates": _all(lambda v: False),
    "objs": _all(lambda v: isinstance(v, dict | list)),
    "obj": lambda v: isinstance(v, dict | list),
}


def _infer_type(value: Any) -> str | None:
    return next((name for name, check in _TYPES.items() if check(value)), None)


def camel_case(name: str) -> str:
    words = _WORD.findall(name)
    return "".join(w.lower() if i == 0 else w[:1].upper() + w[1:].lower() for i, w in enumerate(words))


def _rename(name: str, value: Any, *, camel: bool, type_suffix: bool) -> str:
    stem, separator, suffix = name.rpartition("_")
    if not separator or suffix not in _TYPES:
        stem, suffix = name, ""
    stem = _UNSUPPORTED.sub("", camel_case(stem) if camel else stem)
    if suffix:
        return f"{stem}_{suffix}"
    inferred = _infer_type(value) if type_suffix else None
    return f"{stem}_{inferred}" if inferred and inferred != "obj" else stem


def normalize_property_names(
    properties: dict[str, Any] | None, *, camel: bool = False, type_suffix: bool = False, depth: int = 1
) -> dict[str, Any]:
    """`properties` with FullStory-legal names (nested objects too, up to five levels)."""
    if depth > MAX_DEPTH:
        return properties or {}
    normalized: dict[str, Any] = {}
    for name, value in (properties or {}).items():
        if isinstance(value, dict):
            value = normalize_property_names(value, camel=camel, type_suffix=type_suffix, depth=depth + 1)
        normalized[_rename(name, value, camel=camel, type_suffix=type_suffix)] = value
    return normalized
