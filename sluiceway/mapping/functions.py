"""The mapping editor's functions and static values, written as mapping-kit JSON.

Segment's UI offers Coalesce, Case, JSON, Flatten, Replace (up to two values) and
Concatenate, plus static values of four types. Each is an ordinary mapping: these
builders write it, so the API, the UI and imported Segment mappings share one form.
`source` arguments are mappings themselves, usually `path("$.properties.email")`.
"""

from __future__ import annotations

from typing import Any

from .errors import MappingError


def path(source_path: str) -> dict[str, Any]:
    """An event variable: `{"@path": "$.properties.email"}`."""
    return {"@path": source_path}


def static(value: str | bool | int | float | None) -> Any:
    """A static string, boolean, number or null.

    A string stands as itself; other types are wrapped in @literal, which is how
    Segment's "Static values" tab stores them.
    """
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return {"@literal": value}
    raise MappingError(f"static values are strings, booleans, numbers or null, got {type(value).__name__}")


def coalesce(primary: Any, fallback: Any) -> dict[str, Any]:
    """The primary value when it exists (not null or missing), otherwise the fallback."""
    return {"@if": {"exists": primary, "then": primary, "else": fallback}}


def case(source: Any, operator: str) -> dict[str, Any]:
    """Lower- or upper-case a string value."""
    if operator not in ("lower", "upper"):
        raise MappingError('case: operator must be "lower" or "upper"')
    return {"@case": {"operator": operator, "value": source}}


def json(source: Any, mode: str) -> dict[str, Any]:
    """Encode a value to JSON text, or decode JSON text to a value."""
    if mode not in ("encode", "decode"):
        raise MappingError('json: mode must be "encode" or "decode"')
    return {"@json": {"mode": mode, "value": source}}


def flatten(source: Any, separator: str = ".", *, omit_arrays: bool = False) -> dict[str, Any]:
    """`{a: {b: 1}}` → `{"a.b": 1}` with the chosen separator."""
    if not separator:
        raise MappingError("flatten: the separator must not be empty")
    options: dict[str, Any] = {"value": source, "separator": separator}
    if omit_arrays:
        options["omitArrays"] = True
    return {"@flatten": options}


def replace(
    source: Any,
    pattern: str,
    replacement: str = "",
    pattern2: str | None = None,
    replacement2: str | None = None,
    *,
    global_: bool = True,
    ignorecase: bool = False,
) -> dict[str, Any]:
    """Replace up to two literal substrings in a string, number or boolean value."""
    options: dict[str, Any] = {"pattern": pattern, "replacement": replacement, "value": source,
                               "global": global_, "ignorecase": ignorecase}
    if pattern2 is not None:
        options["pattern2"] = pattern2
        options["replacement2"] = replacement2 or ""
    return {"@replace": options}


def concatenate(template: str) -> dict[str, Any]:
    """Text and `{{event variables}}` together, such as `+1{{properties.phone}}`."""
    return {"@template": template}
