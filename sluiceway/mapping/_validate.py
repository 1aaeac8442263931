"""mapping-kit's validation rules: which mappings are refused before any event is seen.

Every message starts with the location of the problem as a slash path (`/v/@json/mode`)
and states the rule, as mapping-kit's do, so a user can find and fix it. All problems
found are reported together, one per line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED
from ._text import utf16_length
from .errors import MappingError

MAX_PATTERN_LENGTH = 10
MAX_REPLACEMENT_LENGTH = 10

Stack = tuple[str, ...]
Check = Callable[[Any, Stack], None]


class _Problems(Exception):
    """Problems found below one node, collected so every one is reported."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def _problem(message: str, stack: Stack) -> _Problems:
    return _Problems([f"/{'/'.join(stack)} {message}."])


def validate(mapping: Any) -> None:
    """Raise MappingError listing every rule `mapping` breaks."""
    try:
        _validate(mapping, ())
    except _Problems as problems:
        raise MappingError("\n".join(problems.messages)) from None


def type_name(value: Any) -> str:
    """mapping-kit's `realTypeOf` for JSON values."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def is_directive(value: Any) -> bool:
    """An object whose only keys are one or more @-keys (and `_metadata`)."""
    if not isinstance(value, dict) or not value:
        return False
    has_directive = False
    for key in value:
        if key.startswith("@"):
            has_directive = True
        elif key != "_metadata":
            return False
    return has_directive


def _kind(value: Any) -> str:
    if isinstance(value, dict) and any(key.startswith("@") for key in value):
        return "directive"
    return type_name(value)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _validate(mapping: Any, stack: Stack) -> None:
    kind = _kind(mapping)
    if kind == "directive":
        _directive(mapping, stack)
    elif kind == "object":
        _object(mapping, stack)
    elif kind == "array":
        _array(mapping, stack)


def _directive(obj: Any, stack: Stack) -> None:
    if not isinstance(obj, dict):
        kind = type_name(obj)
        raise _problem(f"should be a directive object but it is {_article(kind)} {kind}", stack)
    directive_keys = [key for key in obj if key.startswith("@")]
    if len(directive_keys) > 1:
        raise _problem(f"should only have one @-prefixed key but it has {len(directive_keys)} keys", stack)
    if any(not key.startswith("@") and key != "_metadata" for key in obj):
        raise _problem(f"should only have one @-prefixed key but it has {len(obj)} keys", stack)
    name = directive_keys[0]
    check = _DIRECTIVES.get(name)
    if check is None:
        raise _problem(f"has an invalid directive: {name}", stack)
    check(obj[name], (*stack, name))


def _directive_or_raw(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack)
    elif kind not in ("object", "array", "boolean", "string", "number", "null"):
        raise _problem(f"should be a mapping directive or a JSON value but it is {_article(kind)} {kind}", stack)


def _directive_or_string(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack)
    elif kind != "string":
        raise _problem(f"should be a string or a mapping directive but it is {_article(kind)} {kind}", stack)


def _directive_or_object(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind == "directive":
        _directive(value, stack)
    elif kind == "object":
        _object(value, stack)
    else:
        raise _problem(f"should be a object or a mapping directive but it is {_article(kind)} {kind}", stack)


def _string(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "string":
        raise _problem(f"should be a string but it is {_article(kind)} {kind}", stack)


def _boolean(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "boolean":
        raise _problem(f"should be a boolean but it is {_article(kind)} {kind}", stack)


def _array(value: Any, stack: Stack) -> None:
    kind = type_name(value)
    if kind != "array":
        raise _problem(f"should be an array but it is {_article(kind)} {kind}", stack)


def _length(minimum: int, maximum: int) -> Check:
    def check(value: Any, stack: Stack) -> None:
        # JavaScript's length: a character beyond U+FFFF counts as two.
        if isinstance(value, str) and utf16_length(value) < minimum:
            raise _problem(f"should be a string of length {minimum} or greater", stack)
        if isinstance(value, str) and utf16_length(value) > maximum:
            raise _problem(f"should be a string of length {maximum} or less", stack)

    return check


def _one_of(*allowed: str) -> Check:
    def check(value: Any, stack: Stack) -> None:
        _string(value, stack)
        if value.lower() not in allowed:
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            raise _problem(f"should be one of {', '.join(allowed)} but it is {quoted}", stack)

    return check


def _chain(*checks: Check) -> Check:
    def check(value: Any, stack: Stack) -> None:
        for each in checks:
            each(value, stack)

    return check


def _object(value: Any, stack: Stack) -> None:
    kind = _kind(value)
    if kind != "object":
        raise _problem(f"should be an object but it is {_article(kind)} {kind}", stack)
    _collect([(lambda k=key: _validate(value[k], (*stack, k))) for key in value])


def _fields(required: dict[str, Check], optional: dict[str, Check]) -> Check:
    def check(value: Any, stack: Stack) -> None:
        _object(value, stack)
        steps = []
        for name, rule in required.items():
            steps.append(lambda name=name, rule=rule: _required(value, name, rule, stack))
        for name, rule in optional.items():
            if value.get(name, UNDEFINED) is not UNDEFINED:
                steps.append(lambda name=name, rule=rule: rule(value[name], (*stack, name)))
        _collect(steps)

    return check


def _required(obj: dict, name: str, rule: Check, stack: Stack) -> None:
    if name not in obj:
        raise _problem(f'should have field "{name}" but it doesn\'t', stack)
    rule(obj[name], (*stack, name))


def _collect(steps: list[Callable[[], None]]) -> None:
    messages: list[str] = []
    for step in steps:
        try:
            step()
        except _Problems as problems:
            messages.extend(problems.messages)
    if messages:
        raise _Problems(messages)


def _array_path(value: Any, stack: Stack) -> None:
    _array(value, stack)
    _directive_or_string(value[0] if value else UNDEFINED, stack)
    _validate(value[1] if len(value) > 1 else UNDEFINED, stack)


def _merge(value: Any, stack: Stack) -> None:
    _fields({"objects": _array}, {"direction": _one_of("left", "right")})(value, stack)
    for item in value["objects"]:
        # mapping-kit checks each object without its location, hence the bare "/".
        _directive_or_object(item, ())


_DIRECTIVES: dict[str, Check] = {
    "@if": _fields({}, {"exists": _directive_or_raw, "then": _directive_or_raw, "else": _directive_or_raw}),
    "@case": _fields({}, {"operator": _string, "value": _directive_or_string}),
    "@replace": _fields(
        {"pattern": _chain(_string, _length(1, MAX_PATTERN_LENGTH)), "value": _directive_or_string},
        {
            "replacement": _chain(_string, _length(0, MAX_REPLACEMENT_LENGTH)),
            "ignorecase": _boolean,
            "global": _boolean,
        },
    ),
    "@arrayPath": _array_path,
    "@path": _directive_or_string,
    "@json": _fields({"value": _directive_or_raw, "mode": _one_of("encode", "decode")}, {}),
    "@flatten": _fields({"value": _directive_or_raw}, {"separator": _string}),
    "@merge": _merge,
    "@template": _directive_or_string,
    "@literal": _directive_or_raw,
    "@transform": _fields({"apply": _directive_or_object, "mapping": _directive_or_object}, {}),
    "@excludeWhenNull": _directive_or_raw,
    "@liquid": _string,
}
