"""FQL tokens -> syntax tree, by recursive descent.

Precedence, loosest first: `or`, `and`, comparisons (`= != > >= < <= in`, at most one per
operand), `!`, then values, calls and parenthesised groups. Nesting is bounded by
`MAX_NESTING` so hostile input gets an FqlError, never a RecursionError.
"""

from __future__ import annotations

import difflib

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
from ._lexer import Token, describe, tokenize
from .errors import FqlError

_LITERAL_KEYWORDS: dict[str, Scalar] = {"true": True, "false": False, "null": None}


def parse(text: str) -> Node:
    """The syntax tree of one FQL statement; raises FqlError naming position and reason."""
    if not isinstance(text, str):
        raise FqlError(f"FQL must be text, got {type(text).__name__}")
    return _Parser(tokenize(text)).statement()


class _Parser:
    """Walks the token list once; `depth` counts open groups, calls, lists and `!`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    # -- token helpers -----------------------------------------------------------------

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def previous(self) -> Token | None:
        return self.tokens[self.index - 1] if self.index > 0 else None

    def fail(self, expected: str, token: Token | None = None) -> FqlError:
        token = token or self.peek()
        return FqlError(f"expected {expected} but found {describe(token)}", token.position)

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FqlError(
                f"nesting deeper than {MAX_NESTING} levels of parentheses, calls, lists or '!'",
                token.position,
            )

    # -- grammar -----------------------------------------------------------------------

    def statement(self) -> Node:
        if self.peek().kind == "end":
            raise self.fail("a condition such as type = 'track' or all")
        node = self.disjunction()
        if self.peek().kind != "end":
            raise self.fail("'and', 'or' or end of input")
        return node

    def disjunction(self) -> Node:
        operands = [self.conjunction()]
        while self.peek().kind == "or":
            self.advance()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.comparison()]
        while self.peek().kind == "and":
            self.advance()
            operands.append(self.comparison())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def comparison(self) -> Node:
        left = self.unary()
        if self.peek().kind in COMPARISON_OPERATORS:
            operator = self.advance().kind
            return Comparison(operator, left, self.unary())
        return left

    def unary(self) -> Node:
        token = self.peek()
        if token.kind != "!":
            return self.primary()
        self.advance()
        self.enter(token)
        operand = self.unary()
        self.depth -= 1
        return Not(operand)

    def primary(self) -> Node:
        token = self.peek()
        kind = token.kind
        if kind in ("string", "number"):
            self.advance()
            return Literal(token.value)
        if kind in _LITERAL_KEYWORDS:
            self.advance()
            return Literal(_LITERAL_KEYWORDS[kind])
        if kind == "all":
            self.advance()
            return All()
        if kind == "path":
            self.advance()
            if self.peek().kind == "(":
                return self.call(token)
            return Path(token.value)
        if kind == "(":
            return self.group(token)
        if kind == "[":
            return self.list_literal(token)
        raise self.fail(self.value_expectation())

    def value_expectation(self) -> str:
        previous = self.previous()
        if previous is None:
            return "a condition"
        return f"a value after '{previous.text}'"

    def group(self, opening: Token) -> Node:
        self.advance()
        self.enter(opening)
        node = self.disjunction()
        if self.peek().kind != ")":
            raise self.fail(f"'and', 'or' or ')' closing the '(' at position {opening.position}")
        self.advance()
        self.depth -= 1
        return node

    def call(self, name: Token) -> Node:
        function = name.text
        if function not in FUNCTIONS:
            raise FqlError(_unknown_function(function), name.position)
        self.enter(name)
        self.advance()  # the '('
        arguments: list[Node] = []
        if self.peek().kind != ")":
            arguments.append(self.disjunction())
            while self.peek().kind == ",":
                self.advance()
                arguments.append(self.disjunction())
            if self.peek().kind != ")":
                raise self.fail(f"',' or ')' in the call of {function}()")
        self.advance()
        self.depth -= 1
        arity = FUNCTIONS[function][0]
        if len(arguments) != arity:
            raise FqlError(
                f"{function}() takes {arity} argument{'s' if arity > 1 else ''} "
                f"but was given {len(arguments)}",
                name.position,
            )
        return Call(function, tuple(arguments))

    def list_literal(self, opening: Token) -> Node:
        self.advance()
        self.enter(opening)
        items: list[Scalar] = []
        if self.peek().kind != "]":
            items.append(self.list_item())
            while self.peek().kind == ",":
                self.advance()
                items.append(self.list_item())
            if self.peek().kind != "]":
                raise self.fail(f"',' or ']' closing the list at position {opening.position}")
        self.advance()
        self.depth -= 1
        return ListLiteral(tuple(items))

    def list_item(self) -> Scalar:
        token = self.peek()
        if token.kind in ("string", "number"):
            self.advance()
            return token.value  # type: ignore[no-any-return]
        if token.kind in _LITERAL_KEYWORDS:
            self.advance()
            return _LITERAL_KEYWORDS[token.kind]
        raise self.fail("a string, number, true, false or null in the list")


def _unknown_function(name: str) -> str:
    known = sorted(FUNCTIONS)
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f"; did you mean {close[0]}()?" if close else ""
    return f"unknown function {name}(); expected one of {', '.join(known)}{suggestion}"
