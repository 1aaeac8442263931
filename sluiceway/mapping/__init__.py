"""mapping-kit: how a mapping's JSON turns an event into an action's payload.

    mapping.transform(mapping_json, payload)   # -> value; mapping.MISSING for JS undefined
    mapping.validate(mapping_json)             # raises mapping.MappingError (a ValueError)
    mapping.compile(mapping_json)              # -> callable(payload) -> value, same results

Every directive of Segment's mapping-kit is supported (@path, @template, @literal,
@if, @arrayPath, @case, @replace, @merge, @transform, @flatten, @json, @liquid,
@excludeWhenNull), with its JavaScript quirks. `functions` builds the mapping editor's
functions as mapping JSON; `destination_paths` builds nested destination fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED
from . import functions
from ._compile import compile_fields, compile_mapping
from ._interpret import transform
from ._validate import validate
from .destination_paths import expand_destination_fields, parse_destination_path
from .errors import MappingError

MISSING = UNDEFINED
"""JavaScript's `undefined` as a result: the mapping produced no value at all."""


def compile(mapping_json: Any) -> Callable[[Any], Any]:
    """Validate once and return a function equal to `transform(mapping_json, payload)`."""
    return compile_mapping(mapping_json)


__all__ = [
    "MISSING",
    "MappingError",
    "compile",
    "compile_fields",
    "expand_destination_fields",
    "functions",
    "parse_destination_path",
    "transform",
    "validate",
]
