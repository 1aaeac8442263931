"""Does an event match a trigger AST? Segment's semantics, interpreted or compiled.

`validate` walks the AST for each event; `compile` turns it into nested closures once,
so routing an event costs a few dict lookups. Both share `compare`, the one definition
of what each operator means, so they cannot disagree.

Segment's rules, kept exactly: `=` and `!=` compare with the *text* of the expected
value (`userId = 12345` matches the string "12345", never the number); number
operators only match numbers; string operators only match strings; `exists` fails for
null and missing. Field paths are read as JavaScript reads them, so `properties.tags.length`
is the list's length and a path through a falsy value stops there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .._js import UNDEFINED, js_member, js_path_reduce, js_string, js_to_number
from .errors import TriggerError

Predicate = Callable[[Any], bool]
_MISSING = UNDEFINED
_PATH_PARTS = re.compile(r"[^\[.\]]+")
_TOP_LEVEL = {"event-type": "type", "event": "event", "name": "name", "userId": "userId"}
_OBJECTS = {"event-property": "properties", "event-trait": "traits", "event-context": "context"}


def validate(ast: Mapping[str, Any], event: Any) -> bool:
    """True when `event` satisfies the trigger AST."""
    if not isinstance(ast, Mapping) or "error" in ast or event is None:
        return False
    return _group_matches(ast, event)


def compile_ast(ast: Mapping[str, Any]) -> Predicate:
    """A predicate equivalent to `validate(ast, event)`, built once."""
    if not isinstance(ast, Mapping) or "error" in ast:
        raise TriggerError("cannot compile a trigger that failed to parse")
    group = _compile_group(ast)
    if not _may_match_missing(ast):
        return group

    def matches(event: Any) -> bool:
        return event is not None and group(event)

    return matches


def _may_match_missing(node: Mapping[str, Any]) -> bool:
    """Whether some condition holds for an absent field (then a None event needs a guard)."""
    if node.get("type") == "group":
        return any(_may_match_missing(child) for child in node.get("children") or [])
    return node.get("operator") in ("!=", "not_exists")


def compare(actual: Any, operator: str, expected: Any) -> bool:
    """Segment's meaning of one operator; `actual` is _MISSING when the field is absent."""
    if operator == "=":
        return isinstance(actual, str) and actual == js_string(expected)
    if operator == "!=":
        return not (isinstance(actual, str) and actual == js_string(expected))
    if operator in _NUMBER_TESTS:
        return _is_number(actual) and _NUMBER_TESTS[operator](float(actual), js_to_number(expected))
    if operator in _TEXT_TESTS:
        return isinstance(actual, str) and _TEXT_TESTS[operator](actual, js_string(expected))
    if operator == "exists":
        return actual is not _MISSING and actual is not None
    if operator == "not_exists":
        return actual is _MISSING or actual is None
    if operator == "is_true":
        return actual is True
    if operator == "is_false":
        return actual is False
    return False


_NUMBER_TESTS: dict[str, Callable[[float, float], bool]] = {
    "number_equals": lambda a, b: a == b,
    "number_not_equals": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda a, b: b in a,
    "not_contains": lambda a, b: b not in a,
    "starts_with": str.startswith,
    "not_starts_with": lambda a, b: not a.startswith(b),
    "ends_with": str.endswith,
    "not_ends_with": lambda a, b: not a.endswith(b),
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _group_matches(group: Mapping[str, Any], event: Any) -> bool:
    children = group.get("children") or []
    if group.get("operator") == "and":
        return all(_condition_matches(child, event) for child in children)
    if group.get("operator") == "or":
        return any(_condition_matches(child, event) for child in children)
    return False


def _condition_matches(condition: Mapping[str, Any], event: Any) -> bool:
    kind = condition.get("type")
    if kind == "group":
        return _group_matches(condition, event)
    if kind not in _TOP_LEVEL and kind not in _OBJECTS:
        return False
    actual = _read(event, kind, condition.get("name"))
    return compare(actual, condition.get("operator"), condition.get("value"))


def _read(event: Any, kind: str, name: Any) -> Any:
    if kind in _TOP_LEVEL:
        return js_member(event, _TOP_LEVEL[kind])
    return _read_path(js_member(event, _OBJECTS[kind]), _path_parts(name))


def _path_parts(name: Any) -> tuple[str, ...]:
    return tuple(_PATH_PARTS.findall(name)) if isinstance(name, str) else ()


def _read_path(root: Any, parts: tuple[str, ...]) -> Any:
    """Segment's `get`: JavaScript's `parts.reduce((o, k) => o && o[k], root)`."""
    if not parts:
        return _MISSING
    return js_path_reduce(root, parts)


def _compile_group(group: Mapping[str, Any]) -> Predicate:
    fused = _fuse_top_level_equalities(group)
    if fused is not None:
        return fused
    children = tuple(_compile_condition(child) for child in group.get("children") or [])
    operator = group.get("operator")
    if operator == "and":
        if len(children) == 1:
            return children[0]
        if len(children) == 2:
            first, second = children
            return lambda event: first(event) and second(event)
        return lambda event: all(child(event) for child in children)
    if operator == "or":
        if len(children) == 1:
            return children[0]
        return lambda event: any(child(event) for child in children)
    return lambda event: False


def _fuse_top_level_equalities(group: Mapping[str, Any]) -> Predicate | None:
    """`type = "track" and event = "X"` as one closure: the routing hot path.

    Only for groups of `=` on top-level fields, whose meaning is a dict lookup compared
    with text (a Python str equals only a str, so `==` is exactly Segment's test).
    """
    children = group.get("children") or []
    if not children or len(children) > 3 or group.get("operator") not in ("and", "or"):
        return None
    pairs = []
    for child in children:
        if child.get("type") not in _TOP_LEVEL or child.get("operator") != "=":
            return None
        pairs.append((_TOP_LEVEL[child["type"]], js_string(child.get("value"))))
    if group["operator"] == "or":
        keys = {key for key, _ in pairs}
        if len(keys) != 1:
            return None
        (key,) = keys
        texts = tuple(text for _, text in pairs)
        return lambda event: type(event) is dict and event.get(key) in texts and type(event.get(key)) is str
    if len(pairs) == 1:
        ((key, text),) = pairs
        return lambda event: type(event) is dict and event.get(key) == text
    if len(pairs) == 2:
        (key1, text1), (key2, text2) = pairs
        return lambda event: type(event) is dict and event.get(key1) == text1 and event.get(key2) == text2
    (key1, text1), (key2, text2), (key3, text3) = pairs
    return lambda event: (type(event) is dict and event.get(key1) == text1 and event.get(key2) == text2
                          and event.get(key3) == text3)


def _compile_condition(condition: Mapping[str, Any]) -> Predicate:
    kind = condition.get("type")
    if kind == "group":
        return _compile_group(condition)
    if kind not in _TOP_LEVEL and kind not in _OBJECTS:
        return lambda event: False
    operator, expected = condition.get("operator"), condition.get("value")
    if kind in _TOP_LEVEL:
        return _compile_top_level(_TOP_LEVEL[kind], operator, expected)
    return _compile_nested(_OBJECTS[kind], _path_parts(condition.get("name")), operator, expected)


def _compile_top_level(key: str, operator: str, expected: Any) -> Predicate:
    # The hot cases: `type = "track"`, `event = "Order Completed"`. A Python str equals
    # only a str, so a plain dict lookup compared with the expected text is exact.
    if operator == "=":
        text = js_string(expected)
        return lambda event: event.get(key) == text if isinstance(event, dict) else False
    if operator == "!=":
        text = js_string(expected)
        return lambda event: event.get(key) != text if isinstance(event, dict) else True
    return lambda event: compare(js_member(event, key), operator, expected)


def _compile_nested(root: str, parts: tuple[str, ...], operator: str, expected: Any) -> Predicate:
    if len(parts) == 1:
        (part,) = parts

        def read(event: Any) -> Any:
            container = event.get(root, _MISSING) if isinstance(event, dict) else _MISSING
            if isinstance(container, dict):
                return container.get(part, _MISSING)
            return _read_path(container, parts)
    else:

        def read(event: Any) -> Any:
            return _read_path(js_member(event, root), parts)

    test = _comparator(operator, expected)
    return lambda event: test(read(event))


def _comparator(operator: str, expected: Any) -> Callable[[Any], bool]:
    """`compare` with the operator and expected value fixed, for the common operators."""
    if operator in _NUMBER_TESTS and operator not in ("number_equals", "number_not_equals"):
        bound = js_to_number(expected)
        test = _NUMBER_TESTS[operator]
        number_types = (int, float)
        return lambda actual: type(actual) in number_types and test(actual, bound)
    if operator == "=":
        text = js_string(expected)
        return lambda actual: actual == text and type(actual) is str
    return lambda actual: compare(actual, operator, expected)
