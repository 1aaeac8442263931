"""Syntax tree -> canonical FQL text.

The output re-parses to the same tree: strings in single quotes with `\\` and `'`
escaped, paths escaped as FQL requires, and parentheses wherever the tree's grouping
differs from what precedence alone would give.
"""

from __future__ import annotations

from ._ast import All, And, Call, Comparison, ListLiteral, Literal, Node, Not, Or, Path, Scalar
from ._paths import text_path


def render(node: Node) -> str:
    """Canonical FQL text for a syntax tree."""
    if isinstance(node, Path):
        return text_path(node.segments)
    if isinstance(node, Literal):
        return render_scalar(node.value)
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(render_scalar(item) for item in node.items) + "]"
    if isinstance(node, Comparison):
        return f"{_operand(node.left)} {node.operator} {_operand(node.right)}"
    if isinstance(node, And):
        return " and ".join(_grouped(operand, (And, Or)) for operand in node.operands)
    if isinstance(node, Or):
        return " or ".join(_grouped(operand, (Or,)) for operand in node.operands)
    if isinstance(node, Not):
        return "!" + _grouped(node.operand, (And, Or, Comparison))
    if isinstance(node, Call):
        return f"{node.function}({', '.join(render(argument) for argument in node.arguments)})"
    if isinstance(node, All):
        return "all"
    raise TypeError(f"not an FQL node: {node!r}")


def render_scalar(value: Scalar) -> str:
    """A literal as FQL writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(value)


def _operand(node: Node) -> str:
    # A `!` operand is parenthesised only for the reader: `(!a) = b`, not `!a = b`.
    return _grouped(node, (And, Or, Comparison, Not))


def _grouped(node: Node, needs_parentheses: tuple[type, ...]) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, needs_parentheses) else text
