"""mapping-kit's `transform`: validate the mapping, resolve it against the payload,
then drop the keys whose value is undefined.

Walks the mapping for every call; `_compile` produces the same results faster.
"""

from __future__ import annotations

from typing import Any

from .._js import UNDEFINED
from . import _directives
from ._text import utf16_units
from ._validate import is_directive, type_name, validate
from .errors import MappingError

ROOT_MAPPING_FIELD_KEY = "__segment_internal_directive"


def transform(mapping: Any, payload: Any = None) -> Any:
    payload = check_payload(payload)
    root = mapping_to_process(mapping)
    validate(root)
    return remove_undefined(resolve(root, payload))


def check_payload(payload: Any) -> dict:
    if payload is None or payload is UNDEFINED:
        return {}
    if not isinstance(payload, dict):
        raise MappingError(f"data must be an object, got {type_name(payload)}")
    return payload


def mapping_to_process(mapping: Any) -> Any:
    """mapping-kit spreads the mapping into a new object first (`{...mapping}`).

    So a string becomes an object of its characters, a list an object of its items,
    and other scalars an empty object. A root directive under
    `__segment_internal_directive` receives the other keys as its `mapping`.
    """
    if mapping is None:
        raise MappingError("a mapping must be an object, got null")
    if isinstance(mapping, dict):
        root = dict(mapping)
    elif isinstance(mapping, str):
        root = {str(index): unit for index, unit in enumerate(utf16_units(mapping))}
    elif isinstance(mapping, list):
        root = {str(index): item for index, item in enumerate(mapping)}
    else:
        return {}
    if ROOT_MAPPING_FIELD_KEY not in root:
        return root
    directive = root[ROOT_MAPPING_FIELD_KEY]
    if not isinstance(directive, dict) or len(directive) > 1:
        raise MappingError("The root mapping must only have a single directive object")
    options = next(iter(directive.values()), None)
    if not isinstance(options, dict):
        raise MappingError("The root directive must be an object")
    customer = {key: value for key, value in root.items() if key != ROOT_MAPPING_FIELD_KEY}
    name = next(iter(directive))
    return {name: {**options, "mapping": customer}}


def resolve(mapping: Any, payload: Any) -> Any:
    if isinstance(mapping, dict):
        if is_directive(mapping):
            return _directives.run(mapping, payload, resolve)
        return {key: resolve(value, payload) for key, value in mapping.items()}
    if isinstance(mapping, list):
        return [resolve(item, payload) for item in mapping]
    return mapping


def remove_undefined(value: Any) -> Any:
    """Drop undefined object values everywhere; in lists undefined becomes null (JSON)."""
    if type(value) is dict:
        return {key: item if type(item) not in _CONTAINERS else remove_undefined(item)
                for key, item in value.items() if item is not UNDEFINED}
    if type(value) is list:
        return [None if item is UNDEFINED else item if type(item) not in _CONTAINERS else remove_undefined(item)
                for item in value]
    return value


_CONTAINERS = (dict, list)
