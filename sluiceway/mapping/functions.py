"""The mapping editor's functions and static values, written as mapping-kit JSON.

Segment's UI offers Coalesce, Case, JSON, Flatten, Replace (up to two values) and
Concatenate, plus static values of four types. Each is an ordinary mapping: these
builders write it, so the API, the UI and mappings imported from Segment share one form
and run through `transform` unchanged. A `value` argument is itself a mapping, usually
`path("$.properties.email")`. Every builder refuses what the editor could not express
with a MappingError naming the argument, and checks its result with `validate`.
"""

from __future__ import annotations

from typing import Any

from ._text import utf16_length
from ._validate import MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH, validate
from .errors import MappingError

StaticValue = str | bool | int | float | None


def path(source_path: str) -> dict[str, Any]:
    """An event variable: `{"@path": "$.properties.email"}`."""
    if not isinstance(source_path, str):
        raise MappingError(f"path: source_path must be text, got {type(source_path).__name__}")
    return {"@path": source_path}


def static(value: StaticValue) -> Any:
    """A static string, boolean, number or null.

    A string stands as itself (mapping-kit copies raw strings, without placeholders);
    the other three are wrapped in @literal, as the editor's Static values tab stores them.
    """
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return {"@literal": value}
    raise MappingError(f"static: a static value is text, a boolean, a number or null, got {type(value).__name__}")


def coalesce(primary: Any, fallback: Any) -> dict[str, Any]:
    """The primary value when it is available (neither null nor missing), else the fallback."""
    return _checked({"@if": {"exists": primary, "then": primary, "else": fallback}})


def case(value: Any, operator: str) -> dict[str, Any]:
    """Lower- or upper-case a text value; other values pass unchanged."""
    if operator not in ("lower", "upper"):
        raise MappingError(f'case: operator must be "lower" or "upper", got {operator!r}')
    return _checked({"@case": {"operator": operator, "value": value}})


def json(value: Any, mode: str) -> dict[str, Any]:
    """Encode a value as JSON text, or decode JSON text into a value."""
    if mode not in ("encode", "decode"):
        raise MappingError(f'json: mode must be "encode" or "decode", got {mode!r}')
    return _checked({"@json": {"mode": mode, "value": value}})


def flatten(value: Any, separator: str = ".", omit_arrays: bool = False) -> dict[str, Any]:
    """`{a: {b: {c: 1}, d: 2}}` becomes `{"a.b.c": 1, "a.d": 2}` with the separator."""
    if not isinstance(separator, str) or not separator:
        raise MappingError("flatten: separator must be non-empty text")
    options: dict[str, Any] = {"value": value, "separator": separator}
    if omit_arrays:
        options["omitArrays"] = True
    return _checked({"@flatten": options})


def replace(
    value: Any,
    pattern: str,
    replacement: str = "",
    pattern2: str | None = None,
    replacement2: str | None = None,
    global_: bool = True,
    ignorecase: bool = False,
) -> dict[str, Any]:
    """Replace up to two literal pieces of text in a text, number or boolean value.

    `global_` replaces every occurrence (the default) rather than the first; patterns
    and replacements are at most 10 characters, as mapping-kit allows.
    """
    _replace_text("pattern", pattern, minimum=1, maximum=MAX_PATTERN_LENGTH)
    _replace_text("replacement", replacement, minimum=0, maximum=MAX_REPLACEMENT_LENGTH)
    options: dict[str, Any] = {"pattern": pattern, "replacement": replacement, "value": value,
                               "global": global_, "ignorecase": ignorecase}
    if pattern2 is not None:
        _replace_text("pattern2", pattern2, minimum=1, maximum=MAX_PATTERN_LENGTH)
        _replace_text("replacement2", replacement2 or "", minimum=0, maximum=MAX_REPLACEMENT_LENGTH)
        options["pattern2"] = pattern2
        options["replacement2"] = replacement2 or ""
    elif replacement2 is not None:
        raise MappingError("replace: replacement2 needs a pattern2")
    return _checked({"@replace": options})


def _replace_text(name: str, text: Any, *, minimum: int, maximum: int) -> None:
    if not isinstance(text, str) or not minimum <= utf16_length(text) <= maximum:
        raise MappingError(f"replace: {name} must be text of {minimum} to {maximum} characters, got {text!r}")


def concatenate(template: str) -> dict[str, Any]:
    """Text and `{{event variables}}` together, such as `+1{{properties.phone}}`."""
    if not isinstance(template, str):
        raise MappingError(f"concatenate: the template must be text, got {type(template).__name__}")
    return _checked({"@template": template})


def _checked(mapping: dict[str, Any]) -> dict[str, Any]:
    validate(mapping)
    return mapping
