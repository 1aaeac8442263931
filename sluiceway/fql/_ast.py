"""The FQL syntax tree: small immutable nodes shared by the parser, IR and compiler.

Text and IR both become this tree, so one compiler and one renderer serve both.
`And`/`Or` hold every operand of one chain (`a and b and c`), which keeps a long chain
flat instead of nesting it thousands of levels deep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# Parentheses, `!`, calls and lists deeper than this are rejected: real filters nest a
# handful of levels, and the bound keeps every recursive step far from Python's limit.
MAX_NESTING = 64

Scalar = Union[str, int, float, bool, None]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True, slots=True)
class Path:
    """A field of the event, one key (or list index) per segment."""

    segments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Literal:
    """A string, number, `true`, `false` or `null` written in the statement."""

    value: Scalar


@dataclass(frozen=True, slots=True)
class ListLiteral:
    """A list of literals, `['a', 'b']`."""

    items: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class All:
    """The statement `all`: every event matches."""


@dataclass(frozen=True, slots=True)
class Not:
    """`!operand`."""

    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    """Every operand is true."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one operand is true."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """`left op right` for op in = != > >= < <= in."""

    operator: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    """A built-in function applied to its arguments, `contains(event, 'Click')`."""

    function: str
    arguments: tuple[Node, ...]


Node = Union[Path, Literal, ListLiteral, All, Not, And, Or, Comparison, Call]  # noqa: UP007

COMPARISON_OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "in")
