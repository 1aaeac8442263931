"""Syntax tree -> Python closures, built once so that matching an event does little work.

Every node becomes either a *predicate* (event -> bool, for conditions) or a *getter*
(event -> value). Comparisons against a literal, the overwhelmingly common shape, get
closures specialised for the literal's type, so `type = 'track'` costs one dict lookup
and one string comparison per event. No closure raises for any JSON-shaped event.

Semantics (docs/fql.md has the full list): `=` is strict (same type and value, lists
and objects compared deeply); ordering compares two numbers numerically or two strings
lexicographically and is false for anything else; a condition holds only when its value
is exactly `true`, so null and missing fields count as false.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from ._ast import All, And, Call, Comparison, ListLiteral, Literal, Node, Not, Or, Path
from ._functions import FUNCTIONS, MISSING, contains, match
from ._glob import compile_glob
from ._paths import make_getter

Predicate = Callable[[Any], bool]
Getter = Callable[[Any], Any]

_NUMBER_TYPES = frozenset({int, float})
_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
# `literal < x` is `x > literal`: lets a literal on the left use the same closures.
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _always(_event: Any) -> bool:
    return True


def _never(_event: Any) -> bool:
    return False


# -- values ---------------------------------------------------------------------------


def strict_equal(left: Any, right: Any) -> bool:
    """FQL `=`: same type and same value; lists and objects compared item by item."""
    if isinstance(left, str) or isinstance(right, str):
        return isinstance(left, str) and isinstance(right, str) and left == right
    left_type, right_type = type(left), type(right)
    if left_type in _NUMBER_TYPES:
        return right_type in _NUMBER_TYPES and left == right
    if left is None or left is True or left is False:
        return left is right
    if isinstance(left, list | tuple):
        if not isinstance(right, list | tuple) or len(left) != len(right):
            return False
        return _deep(all, (strict_equal(a, b) for a, b in zip(left, right, strict=True)))
    if isinstance(left, Mapping):
        if not isinstance(right, Mapping) or left.keys() != right.keys():
            return False
        return _deep(all, (strict_equal(left[key], right[key]) for key in left))
    return False


def _deep(reduce: Callable[[Any], bool], checks: Any) -> bool:
    # Values nested thousands deep cannot be compared within Python's recursion limit;
    # they are treated as unequal rather than letting RecursionError escape.
    try:
        return reduce(checks)
    except RecursionError:
        return False


def _ordered(operator_name: str) -> Callable[[Any, Any], bool]:
    compare = _ORDERINGS[operator_name]

    def check(left: Any, right: Any) -> bool:
        if isinstance(left, str):
            return isinstance(right, str) and compare(left, right)
        return type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES and compare(left, right)

    return check


def compile_value(node: Node) -> Getter:
    """A getter event -> value for any node."""
    if isinstance(node, Path):
        return make_getter(node.segments)
    if isinstance(node, Literal | ListLiteral):
        constant = node.value if isinstance(node, Literal) else node.items
        return lambda _event: constant
    if isinstance(node, Call):
        return _compile_call(node)
    return compile_condition(node)


def _compile_call(node: Call) -> Getter:
    if node.function in ("contains", "match"):
        return _compile_text_test(node)
    function = FUNCTIONS[node.function][1]
    (argument,) = node.arguments
    if isinstance(argument, Literal | ListLiteral):
        folded = function(argument.value if isinstance(argument, Literal) else argument.items)
        return lambda _event: folded
    if node.function == "length" and isinstance(argument, Path):
        get = make_getter(argument.segments, missing=MISSING)
    else:
        get = compile_value(argument)
    return lambda event: function(get(event))


def _compile_text_test(node: Call) -> Predicate:
    """contains()/match() with a literal second argument precompute their test."""
    subject, needle = node.arguments
    get = compile_value(subject)
    if isinstance(needle, Literal):
        literal = needle.value
        if not isinstance(literal, str):
            return _never
        if node.function == "contains":
            return lambda event: isinstance(value := get(event), str) and literal in value
        test = compile_glob(literal)
        return lambda event: isinstance(value := get(event), str) and test(value)
    get_needle = compile_value(needle)
    function = contains if node.function == "contains" else match
    return lambda event: function(get(event), get_needle(event))


# -- conditions -----------------------------------------------------------------------


def compile_condition(node: Node) -> Predicate:
    """A predicate event -> bool: true only when the node's value is exactly true."""
    if isinstance(node, Comparison):
        return _compile_comparison(node)
    if isinstance(node, And):
        return _compile_all([compile_condition(operand) for operand in node.operands])
    if isinstance(node, Or):
        return _compile_any([compile_condition(operand) for operand in node.operands])
    if isinstance(node, Not):
        holds = compile_condition(node.operand)
        return lambda event: not holds(event)
    if isinstance(node, All):
        return _always
    if isinstance(node, Literal | ListLiteral):
        return _always if isinstance(node, Literal) and node.value is True else _never
    if isinstance(node, Call) and node.function in ("contains", "match"):
        return _compile_text_test(node)
    get = compile_value(node)
    return lambda event: get(event) is True


def _compile_all(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda event: first(event) and second(event)

    def every(event: Any) -> bool:
        return all(holds(event) for holds in predicates)

    return every


def _compile_any(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda event: first(event) or second(event)

    def some(event: Any) -> bool:
        return any(holds(event) for holds in predicates)

    return some


def _compile_comparison(node: Comparison) -> Predicate:
    if node.operator == "in":
        return _compile_membership(node.left, node.right)
    left, right, operator_name = node.left, node.right, node.operator
    if isinstance(left, Literal) and not isinstance(right, Literal):
        left, right, operator_name = right, left, _FLIPPED[operator_name]
    if operator_name in ("=", "!="):
        equal = _compile_equality(left, right)
        if operator_name == "=":
            return equal
        return lambda event: not equal(event)
    if isinstance(right, Literal):
        return _compile_ordering_with_literal(compile_value(left), operator_name, right.value)
    check = _ordered(operator_name)
    get_left, get_right = compile_value(left), compile_value(right)
    return lambda event: check(get_left(event), get_right(event))


def _compile_equality(left: Node, right: Node) -> Predicate:
    get = compile_value(left)
    if isinstance(right, Literal):
        literal = right.value
        if literal is None or literal is True or literal is False:
            return lambda event: get(event) is literal
        if isinstance(literal, str):
            return lambda event: isinstance(value := get(event), str) and value == literal
        return lambda event: type(value := get(event)) in _NUMBER_TYPES and value == literal
    get_right = compile_value(right)
    return lambda event: strict_equal(get(event), get_right(event))


def _compile_ordering_with_literal(get: Getter, operator_name: str, literal: Any) -> Predicate:
    compare = _ORDERINGS[operator_name]
    if isinstance(literal, str):
        return lambda event: isinstance(value := get(event), str) and compare(value, literal)
    if type(literal) in _NUMBER_TYPES:
        return lambda event: type(value := get(event)) in _NUMBER_TYPES and compare(value, literal)
    return _never


def _compile_membership(element: Node, collection: Node) -> Predicate:
    get = compile_value(element)
    if isinstance(collection, ListLiteral):
        return _compile_membership_in_literal(get, collection.items)
    get_collection = compile_value(collection)
    if isinstance(element, Literal) and isinstance(element.value, str):
        text = element.value
        return lambda event: isinstance(items := get_collection(event), list | tuple) and text in items

    def is_member(event: Any) -> bool:
        items = get_collection(event)
        if not isinstance(items, list | tuple):
            return False
        value = get(event)
        return any(strict_equal(value, item) for item in items)

    return is_member


def _compile_membership_in_literal(get: Getter, items: tuple[Any, ...]) -> Predicate:
    """`x in [...]` against sets split by type, so 1 never matches true (strict `=`)."""
    strings = frozenset(item for item in items if isinstance(item, str))
    numbers = frozenset(item for item in items if type(item) in _NUMBER_TYPES)
    booleans = frozenset(item for item in items if item is True or item is False)
    has_null = any(item is None for item in items)

    def is_member(event: Any) -> bool:
        value = get(event)
        if isinstance(value, str):
            return value in strings
        kind = type(value)
        if kind in _NUMBER_TYPES:
            return value in numbers
        if kind is bool:
            return value in booleans
        return value is None and has_null

    return is_member
