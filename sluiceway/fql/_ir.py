"""Segment's FQL IR <-> syntax tree.

The IR is the JSON `@segment/tsub` evaluates: an array with the operator or function
first (`["=", "type", {"value": "track"}]`), a plain string for a field path, and
`{"value": v}` for a literal. A list literal is an array of `{"value": v}` items, and a
path alone is a truthiness test. `all` is written `{"value": true}`, which tsub also
reads as always true.
"""

from __future__ import annotations

import math
from typing import Any

from ._ast import (
    COMPARISON_OPERATORS,
    MAX_NESTING,
    All,
    And,
    Call,
    Comparison,
    ListLiteral,
    Literal,
    Node,
    Not,
    Or,
    Path,
    Scalar,
)
from ._functions import FUNCTIONS
from ._paths import ir_path, split_path
from .errors import FqlError

# FQL text cannot hold longer integers (Python will not print them as text either).
_MAX_INTEGER_BITS = 13000


def to_ir(node: Node) -> Any:
    """The IR of a syntax tree, as JSON-ready lists, dicts and strings."""
    if isinstance(node, Path):
        return ir_path(node.segments)
    if isinstance(node, Literal):
        return {"value": node.value}
    if isinstance(node, ListLiteral):
        return [{"value": item} for item in node.items]
    if isinstance(node, Comparison):
        return [node.operator, to_ir(node.left), to_ir(node.right)]
    if isinstance(node, And):
        return ["and", *(to_ir(operand) for operand in node.operands)]
    if isinstance(node, Or):
        return ["or", *(to_ir(operand) for operand in node.operands)]
    if isinstance(node, Not):
        return ["!", to_ir(node.operand)]
    if isinstance(node, Call):
        return [node.function, *(to_ir(argument) for argument in node.arguments)]
    if isinstance(node, All):
        return {"value": True}
    raise TypeError(f"not an FQL node: {node!r}")


def from_ir(ir: Any) -> Node:
    """The syntax tree of an IR document; raises FqlError naming the bad element."""
    return _read(ir, "ir", 0)


def _fail(location: str, reason: str) -> FqlError:
    return FqlError(reason, location=location)


def _read(ir: Any, location: str, depth: int) -> Node:
    if depth > MAX_NESTING:
        raise _fail(location, f"nesting deeper than {MAX_NESTING} levels")
    if isinstance(ir, str):
        return _read_path(ir, location)
    if isinstance(ir, dict):
        return _read_literal(ir, location)
    if isinstance(ir, list):
        if not ir or isinstance(ir[0], dict):
            return _read_list_literal(ir, location)
        return _read_operation(ir, location, depth)
    raise _fail(
        location,
        f"expected a field path string, {{\"value\": ...}} or an array but found {_kind(ir)}",
    )


def _read_path(ir: str, location: str) -> Path:
    segments = split_path(ir)
    if not all(segments):
        raise _fail(location, f"field path {ir!r} has an empty key")
    return Path(segments)


def _read_literal(ir: dict, location: str) -> Node:
    if set(ir) != {"value"}:
        raise _fail(location, f"expected an object with only the key \"value\" but found keys {sorted(map(str, ir))}")
    value = ir["value"]
    if isinstance(value, list):
        return ListLiteral(tuple(_scalar(item, f"{location}.value[{i}]") for i, item in enumerate(value)))
    return Literal(_scalar(value, f"{location}.value"))


def _read_list_literal(ir: list, location: str) -> ListLiteral:
    items: list[Scalar] = []
    for index, item in enumerate(ir):
        where = f"{location}[{index}]"
        if not isinstance(item, dict) or set(item) != {"value"}:
            raise _fail(where, f"expected a list item {{\"value\": ...}} but found {_kind(item)}")
        items.append(_scalar(item["value"], f"{where}.value"))
    return ListLiteral(tuple(items))


def _scalar(value: Any, location: str) -> Scalar:
    if value is None or isinstance(value, str | bool):
        return value  # type: ignore[no-any-return]
    if isinstance(value, int):
        if value.bit_length() > _MAX_INTEGER_BITS:
            raise _fail(location, "expected a number of at most 4000 digits")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _fail(location, f"expected a finite number but found {value!r}")
        return value
    raise _fail(location, f"expected a string, number, boolean or null but found {_kind(value)}")


def _read_operation(ir: list, location: str, depth: int) -> Node:
    operator = ir[0]
    if not isinstance(operator, str):
        raise _fail(f"{location}[0]", f"expected an operator or function name but found {_kind(operator)}")
    operands = [_read(item, f"{location}[{index}]", depth + 1) for index, item in enumerate(ir[1:], 1)]
    if operator in ("and", "or"):
        if len(operands) < 2:
            raise _fail(location, f"'{operator}' needs at least 2 operands but has {len(operands)}")
        return (And if operator == "and" else Or)(tuple(operands))
    if operator == "!":
        _check_count(operator, operands, 1, location)
        return Not(operands[0])
    if operator in COMPARISON_OPERATORS:
        _check_count(operator, operands, 2, location)
        return Comparison(operator, operands[0], operands[1])
    if operator in FUNCTIONS:
        _check_count(operator, operands, FUNCTIONS[operator][0], location)
        return Call(operator, tuple(operands))
    known = ", ".join(["and", "or", "!", *COMPARISON_OPERATORS, *sorted(FUNCTIONS)])
    raise _fail(f"{location}[0]", f"unknown operator {operator!r}; expected one of {known}")


def _check_count(operator: str, operands: list[Node], count: int, location: str) -> None:
    if len(operands) != count:
        raise _fail(location, f"'{operator}' takes {count} operand{'s' if count > 1 else ''} but has {len(operands)}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
