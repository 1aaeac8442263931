"""Subscription AST → trigger FQL, as Segment's mapping UI writes it.

The text matches `@segment/destination-subscriptions` character for character,
including its one flaw: values are not escaped, so a value with a double quote does
not survive the round trip (the condition builder refuses such values for that reason).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._js import js_number, js_string, js_to_number
from .errors import TriggerError

_FIELD_PREFIX = {"event-property": "properties.", "event-trait": "traits.", "event-context": "context."}
_UNSAFE_NAME_CHARS = re.compile(r"[^a-zA-Z0-9._-]")


def generate_fql(ast: Mapping[str, Any]) -> str:
    """FQL text for a subscription AST."""
    if not isinstance(ast, Mapping) or ast.get("type") != "group":
        raise TriggerError("a trigger AST must be a group")
    text = _group(ast)
    if text.startswith("(") and text.endswith(")") and text.count("(") + text.count(")") == 2:
        return text[1:-1]
    return text


def _group(group: Mapping[str, Any]) -> str:
    joiner = f" {group.get('operator')} "
    parts = []
    for child in group.get("children") or []:
        if isinstance(child, Mapping) and child.get("type") == "group":
            parts.append(f"({_group(child)})")
        else:
            parts.append(_condition(child))
    return joiner.join(parts)


def _condition(node: Any) -> str:
    if not isinstance(node, Mapping):
        raise TriggerError(f"a trigger condition must be an object, got {type(node).__name__}")
    kind = node.get("type")
    if kind in ("name", "userId", "event"):
        field = kind
    elif kind == "event-type":
        field = "type"
    elif kind in _FIELD_PREFIX:
        field = _FIELD_PREFIX[kind] + _escape_name(node.get("name"))
    else:
        raise TriggerError(f"unknown condition type {kind!r}")
    return _expression(field, node.get("operator"), node.get("value"))


def _escape_name(name: Any) -> str:
    return _UNSAFE_NAME_CHARS.sub(lambda m: "\\" + m.group(0), name) if isinstance(name, str) else js_string(name)


def _expression(field: str, operator: Any, value: Any) -> str:
    text = js_string(value) if value is not None or operator not in _NO_VALUE else ""
    simple = {
        "contains": f"contains({field}, {_literal(value)})",
        "not_contains": f"!contains({field}, {_literal(value)})",
        "exists": f"{field} != null",
        "not_exists": f"{field} = null",
        "is_true": f"{field} = true",
        "is_false": f"{field} = false",
        "starts_with": f'match({field}, "{text}*")',
        "not_starts_with": f'!match({field}, "{text}*")',
        "ends_with": f'match({field}, "*{text}")',
        "not_ends_with": f'!match({field}, "*{text}")',
    }
    if operator in simple:
        return simple[operator]
    if operator in ("<", ">", "<=", ">="):
        return f"{field} {operator} {js_number(js_to_number(value))}"
    if operator == "number_equals":
        return f"{field} = {js_number(js_to_number(value))}"
    if operator == "number_not_equals":
        return f"{field} != {js_number(js_to_number(value))}"
    return f"{field} {operator} {_literal(value)}"


_NO_VALUE = ("exists", "not_exists", "is_true", "is_false")


def _literal(value: Any) -> str:
    if isinstance(value, bool | int | float):
        return js_string(value)
    return f'"{js_string(value) if value is not None else "undefined"}"'
