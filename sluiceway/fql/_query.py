"""A compiled FQL statement and the functions that make one."""

from __future__ import annotations

from typing import Any

from ._ast import Node
from ._compiler import Predicate, compile_condition
from ._ir import from_ir as _tree_from_ir
from ._ir import to_ir as _ir_from_tree
from ._parser import parse
from ._text import render


class Query:
    """One FQL statement, compiled once.

    `matches(event)` is the compiled predicate itself (no wrapper call per event);
    `text` is the canonical FQL and `ir` Segment's IR for the same statement.
    """

    __slots__ = ("matches", "text", "tree")

    def __init__(self, tree: Node) -> None:
        self.tree = tree
        self.text: str = render(tree)
        self.matches: Predicate = compile_condition(tree)

    @property
    def ir(self) -> Any:
        """Segment's IR (fresh lists and dicts, safe to modify)."""
        return _ir_from_tree(self.tree)

    def __repr__(self) -> str:
        return f"fql.compile({self.text!r})"


def compile(text: str) -> Query:
    """Parse FQL text into a Query; raises FqlError with the position and reason."""
    return Query(parse(text))


def from_ir(ir: Any) -> Query:
    """A Query from Segment's FQL IR (parsed JSON); raises FqlError for malformed IR."""
    return Query(_tree_from_ir(ir))


def to_ir(text: str) -> Any:
    """Segment's FQL IR for FQL text, as JSON-ready lists, dicts and strings."""
    return _ir_from_tree(parse(text))
