"""DROP_PROPERTIES and ALLOW_PROPERTIES: remove keys under chosen objects.

A field map such as `{"properties": ["email"], "": ["userId"]}` names an object by its
dotted path (`""` is the event itself) and the keys to drop, or the only keys to keep.
When the path reaches a list, every object in it is filtered, as Segment does for
`properties.products`. Paths that reach nothing, or reach a non-object, are ignored.

The same event fans out to many destinations, each with its own filters, so these
functions never modify their input: they copy only the containers on the way to what
they change and share the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._js import is_array_index

FieldMap = Mapping[str, Sequence[str]]
_Filter = Callable[[dict, Sequence[str]], dict]


def drop_properties(event: dict, fields: FieldMap) -> dict:
    """Return a copy of `event` without the listed keys."""
    return _apply(event, fields, _without)


def allow_properties(event: dict, fields: FieldMap) -> dict:
    """Return a copy of `event` keeping only the listed keys in each named object."""
    return _apply(event, fields, _only)


def _without(obj: dict, keys: Sequence[str]) -> dict:
    return {k: v for k, v in obj.items() if k not in keys}


def _only(obj: dict, keys: Sequence[str]) -> dict:
    return {k: v for k, v in obj.items() if k in keys}


def _apply(event: dict, fields: FieldMap, keep: _Filter) -> dict:
    for path, keys in fields.items():
        parts = path.split(".") if path else []
        event = _rewrite(event, parts, lambda obj, keys=keys: keep(obj, keys))
    return event


def _rewrite(node: Any, parts: list[str], change: Callable[[dict], dict]) -> Any:
    """Return `node` with `change` applied at `parts`, copying only along the way.

    Lookup follows Segment's: a dotted key indexes objects by name and lists by
    position (`products.0`); when the path ends on a list, each object in it changes.
    """
    if not parts:
        if isinstance(node, list):
            return [change(item) if isinstance(item, dict) else item for item in node]
        return change(node) if isinstance(node, dict) else node
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict) and head in node:
        child = _rewrite(node[head], rest, change)
        return node if child is node[head] else {**node, head: child}
    if isinstance(node, list) and is_array_index(head) and int(head) < len(node):
        index = int(head)
        child = _rewrite(node[index], rest, change)
        return node if child is node[index] else [*node[:index], child, *node[index + 1 :]]
    return node


MISSING = object()  # a path that reaches nothing: JavaScript's undefined


def lookup(event: Any, path: str) -> Any:
    """The value at a dotted path, by the same rules as the property actions."""
    node = event
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and is_array_index(part) and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node
