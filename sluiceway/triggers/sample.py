"""A sample event that a trigger matches: the mapping editor's "Generate sample event".

The trigger's conditions are gathered per field (type, event name, each property,
trait or context path), then each field gets a value meeting all of its conditions:
numbers between their bounds, strings built from their prefix, required fragments
and suffix, booleans and presence as asked. Under an `or`, the first alternative is
used. A contradictory trigger (`type = "track" and type = "page"`) has no matching
event; the result says so rather than pretending.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._evaluate import validate
from ._parser import parse_fql

EVENT_TYPES = ("track", "identify", "page", "screen", "group", "alias")
_FIELDS = {"event-type": "type", "event": "event", "name": "name", "userId": "userId"}
_OBJECTS = {"event-property": "properties", "event-trait": "traits", "event-context": "context"}
_NUMBER_OPERATORS = ("<", "<=", ">", ">=", "number_equals", "number_not_equals")
_STRING_OPERATORS = ("contains", "not_contains", "starts_with", "ends_with")


@dataclass
class _Wanted:
    """Everything the trigger asks of one field."""

    equals: Any = None
    has_equals: bool = False
    not_equals: list[Any] = field(default_factory=list)
    low: float | None = None
    low_inclusive: bool = True
    high: float | None = None
    high_inclusive: bool = True
    prefix: str = ""
    suffix: str = ""
    fragments: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    present: bool | None = None
    boolean: bool | None = None
    number: bool = False


@dataclass(frozen=True)
class SampleEvent:
    event: dict[str, Any]
    matches: bool


def sample_event(trigger: str | Mapping[str, Any]) -> SampleEvent:
    """An event `trigger` (FQL text or parsed AST) matches, and whether one was found."""
    ast = parse_fql(trigger) if isinstance(trigger, str) else trigger
    wanted: dict[tuple[str, ...], _Wanted] = {}
    _gather(ast, wanted)
    kind = _pick_type(wanted.pop(("type",), _Wanted()))
    event = _base_event(kind)
    for path, wish in wanted.items():
        _assign(event, path, wish)
    return SampleEvent(event, validate(ast, event))


def _gather(node: Mapping[str, Any], wanted: dict[tuple[str, ...], _Wanted]) -> None:
    if node.get("type") == "group":
        children = node.get("children") or []
        if node.get("operator") == "or":
            children = children[:1]
        for child in children:
            _gather(child, wanted)
        return
    kind = node.get("type")
    if kind in _FIELDS:
        path: tuple[str, ...] = (_FIELDS[kind],)
    elif kind in _OBJECTS:
        path = (_OBJECTS[kind], *str(node.get("name", "")).split("."))
    else:
        return
    _note(wanted.setdefault(path, _Wanted()), node.get("operator"), node.get("value"))


def _note(wish: _Wanted, operator: Any, value: Any) -> None:
    if operator == "=":
        wish.equals, wish.has_equals = value, True
    elif operator == "!=":
        wish.not_equals.append(value)
    elif operator in _NUMBER_OPERATORS:
        _note_number(wish, operator, value)
    elif operator in _STRING_OPERATORS:
        _note_text(wish, operator, str(value))
    elif operator == "exists":
        wish.present = True
    elif operator == "not_exists":
        wish.present = False
    elif operator in ("is_true", "is_false"):
        wish.boolean = operator == "is_true"


def _note_number(wish: _Wanted, operator: str, value: Any) -> None:
    wish.number = True
    number = float(value) if isinstance(value, int | float) else _to_float(value)
    if operator in (">", ">="):
        if wish.low is None or number >= wish.low:
            wish.low, wish.low_inclusive = number, operator == ">="
    elif operator in ("<", "<="):
        if wish.high is None or number <= wish.high:
            wish.high, wish.high_inclusive = number, operator == "<="
    elif operator == "number_equals":
        wish.low = wish.high = number
    else:
        wish.not_equals.append(number)


def _note_text(wish: _Wanted, operator: str, value: str) -> None:
    if operator == "starts_with":
        wish.prefix = value
    elif operator == "ends_with":
        wish.suffix = value
    elif operator == "contains":
        wish.fragments.append(value)
    else:
        wish.forbidden.append(value)


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _pick_type(wish: _Wanted) -> str:
    if wish.has_equals:
        return str(wish.equals)
    return next((kind for kind in EVENT_TYPES if kind not in wish.not_equals), "track")


def _value(wish: _Wanted, default: str) -> Any:
    if wish.has_equals:
        return wish.equals
    if wish.boolean is not None:
        return wish.boolean
    if wish.number:
        return _number(wish)
    text = wish.prefix + "".join(wish.fragments) + wish.suffix or default
    while text in wish.not_equals or any(bad and bad in text for bad in wish.forbidden):
        text = text.replace(next((b for b in wish.forbidden if b and b in text), text), "") + "x"
    return text


def _number(wish: _Wanted) -> float | int:
    low, high = wish.low, wish.high
    if low is not None and high is not None:
        candidate = low if wish.low_inclusive else (low + high) / 2 if high > low else low
    elif low is not None:
        candidate = low if wish.low_inclusive else low + 1
    elif high is not None:
        candidate = high if wish.high_inclusive else high - 1
    else:
        candidate = 1
    while candidate in wish.not_equals:
        candidate += 1
    return int(candidate) if float(candidate).is_integer() else candidate


def _only_negative(wish: _Wanted) -> bool:
    """`!=` and `does not contain` alone hold for a missing field: leave it alone."""
    positive = wish.has_equals or wish.number or wish.boolean is not None or wish.present
    return not positive and not (wish.prefix or wish.suffix or wish.fragments)


def _assign(event: dict[str, Any], path: tuple[str, ...], wish: _Wanted) -> None:
    if wish.present is False:
        _remove(event, path)
        return
    if _only_negative(wish) and _lookup(event, path) not in (None, *wish.not_equals):
        return
    target = event
    for key in path[:-1]:
        child = target.get(key)
        if not isinstance(child, dict):
            child = target[key] = {}
        target = child
    default = "Sample Event" if path == ("event",) else "sample"
    target[path[-1]] = _value(wish, default)


def _lookup(event: dict[str, Any], path: tuple[str, ...]) -> Any:
    target: Any = event
    for key in path:
        target = target.get(key) if isinstance(target, dict) else None
    return target


def _remove(event: dict[str, Any], path: tuple[str, ...]) -> None:
    target: Any = event
    for key in path[:-1]:
        target = target.get(key) if isinstance(target, dict) else None
    if isinstance(target, dict):
        target.pop(path[-1], None)


_COMMON: dict[str, Any] = {
    "messageId": "sample-message-0001",
    "anonymousId": "sample-anonymous-id",
    "userId": "sample-user-id",
    "timestamp": "2026-01-01T12:00:00.000Z",
    "context": {
        "ip": "203.0.113.7",
        "locale": "en-US",
        "library": {"name": "analytics.js", "version": "2.11.1"},
        "page": {"path": "/pricing", "url": "https://example.com/pricing", "title": "Pricing"},
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    },
}
_BY_TYPE: dict[str, dict[str, Any]] = {
    "track": {"event": "Sample Event", "properties": {"revenue": 19.99, "currency": "USD"}},
    "identify": {"traits": {"email": "sample@example.com", "name": "Sample User"}},
    "page": {"name": "Pricing", "properties": {"path": "/pricing", "title": "Pricing"}},
    "screen": {"name": "Home", "properties": {"variation": "blue"}},
    "group": {"groupId": "sample-group-id", "traits": {"name": "Sample Inc", "plan": "pro"}},
    "alias": {"previousId": "sample-previous-id"},
}


def _base_event(kind: str) -> dict[str, Any]:
    event = copy.deepcopy(_COMMON)
    event["type"] = kind
    event.update(copy.deepcopy(_BY_TYPE.get(kind, {})))
    return event
