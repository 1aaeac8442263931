"""Trigger FQL → Segment's subscription AST.

The accepted language is what Segment's mapping UI writes: conditions on `type`,
`event`, `name`, `userId`, `properties.*`, `traits.*`, `context.*`, joined by one of
`and` / `or` per level, with `contains(…)`, `match(…)` and their negations. Segment's
own parser silently garbles text outside that language; we reject it instead, saying
where and why. The one garbling the recorded vectors depend on is kept: string literals
have no escapes, and text glued to a closing quote is ignored (see `_lexer`).
"""

from __future__ import annotations

from typing import Any

from .._js import js_string
from ._lexer import (
    COMMA,
    CONDITIONAL,
    DOT,
    EOS,
    IDENT,
    LPAREN,
    NUMBER,
    OPERATOR,
    RPAREN,
    STRING,
    Token,
    tokenize,
)
from ._rules import field_problems
from .errors import TriggerError

FIELD_TYPES = {"type": "event-type", "event": "event", "name": "name", "userId": "userId"}
PATH_TYPES = {"properties": "event-property", "traits": "event-trait", "context": "event-context"}
MAX_DEPTH = 32


def parse_fql(text: str) -> dict[str, Any]:
    """Parse trigger FQL into Segment's AST; raise TriggerError when it is not valid."""
    if not isinstance(text, str):
        raise TriggerError(f"a trigger must be FQL text, got {type(text).__name__}")
    parser = _Parser(tokenize(text))
    node = parser.group(depth=0)
    parser.expect(EOS, "the end of the trigger")
    if node["type"] != "group":
        return {"type": "group", "operator": "and", "children": [node]}
    return node


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != EOS:
            self.index += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        token = self.current
        if token.kind != kind:
            raise TriggerError(f"expected {what} but found {_describe(token)}", position=token.position)
        return self.take()

    def group(self, depth: int) -> dict[str, Any]:
        """One level: conditions joined by a single kind of conjunction."""
        if depth > MAX_DEPTH:
            raise TriggerError(f"parentheses nest deeper than {MAX_DEPTH} levels", position=self.current.position)
        children = [self.condition(depth)]
        operator: str | None = None
        while self.current.kind == CONDITIONAL:
            token = self.take()
            if operator is not None and token.value != operator:
                raise TriggerError(
                    f"'{token.value}' after '{operator}' at the same level: a trigger group is either "
                    "ALL (and) or ANY (or); use parentheses to combine them",
                    position=token.position,
                )
            operator = token.value
            children.append(self.condition(depth))
        if len(children) == 1:
            return children[0]
        return {"type": "group", "operator": operator, "children": children}

    def condition(self, depth: int) -> dict[str, Any]:
        token = self.current
        if token.kind == LPAREN:
            self.take()
            node = self.group(depth + 1)
            self.expect(RPAREN, "')'")
            return node
        if token.kind == OPERATOR and token.value == "!":
            self.take()
            name = self.current
            if name.kind != IDENT or name.value not in ("contains", "match"):
                raise TriggerError("'!' can only negate contains(…) or match(…)", position=token.position)
            return self.function(negate=True)
        if token.kind == IDENT and token.value in ("contains", "match") and self.peek_kind() == LPAREN:
            return self.function(negate=False)
        if token.kind == IDENT:
            return self.comparison()
        raise TriggerError(f"expected a condition but found {_describe(token)}", position=token.position)

    def peek_kind(self) -> str:
        return self.tokens[min(self.index + 1, len(self.tokens) - 1)].kind

    def field(self) -> tuple[str, str, int]:
        """Read a dotted field; return (condition type, name within its object, position)."""
        first = self.expect(IDENT, "a field such as event, properties.revenue or context.device.type")
        parts = [first.value]
        while self.current.kind == DOT:
            self.take()
            parts.append(self.path_segment().value)
        root = parts[0]
        if root in FIELD_TYPES and len(parts) == 1:
            return FIELD_TYPES[root], "", first.position
        if root in PATH_TYPES and len(parts) > 1:
            kind, name = PATH_TYPES[root], ".".join(parts[1:])
            problems = field_problems(kind, name)
            if problems:
                raise TriggerError(problems[0], position=first.position, field=name)
            return kind, name, first.position
        raise TriggerError(
            f"unknown field '{'.'.join(parts)}': triggers can test type, event, name, userId, "
            "properties.<name>, traits.<name> and context.<name>",
            position=first.position,
        )

    def path_segment(self) -> Token:
        """A name after '.'; 'and' and 'or' are names here, since nothing else can follow a dot."""
        if self.current.kind == CONDITIONAL:
            return self.take()
        return self.expect(IDENT, "a field name after '.'")

    def comparison(self) -> dict[str, Any]:
        kind, name, _ = self.field()
        operator = self.current
        if operator.kind != OPERATOR or operator.value == "!":
            raise TriggerError(
                f"expected a comparison (=, !=, <, <=, >, >=) but found {_describe(operator)}",
                position=operator.position,
            )
        self.take()
        value = self.take()
        if value.kind not in (STRING, NUMBER) and not (value.kind == IDENT and value.value in _KEYWORDS):
            raise TriggerError(
                f"expected a value (a \"string\", a number, true, false or null) but found {_describe(value)}",
                position=value.position,
            )
        node = _comparison_node(kind, name, operator.value, value)
        if name:
            node = {"type": node["type"], "name": name, **{k: v for k, v in node.items() if k != "type"}}
        return node

    def function(self, *, negate: bool) -> dict[str, Any]:
        name_token = self.take()
        self.expect(LPAREN, f"'(' after {name_token.value}")
        kind, name, position = self.field()
        if kind == "event-type":
            raise TriggerError(f"{name_token.value}() cannot test type; use type = \"…\"", position=position)
        self.expect(COMMA, f"',' between the arguments of {name_token.value}()")
        value = self.expect(STRING, f"a \"string\" as the second argument of {name_token.value}()")
        self.expect(RPAREN, f"')' to close {name_token.value}()")
        operator, text = _function_operator(name_token.value, value, negate)
        node: dict[str, Any] = {"type": kind}
        if name:
            node["name"] = name
        node.update(operator=operator, value=text)
        return node


_KEYWORDS = ("true", "false", "null")
_SIMPLE_OPERATORS = ("=", "!=")


def _comparison_node(kind: str, name: str, operator: str, token: Token) -> dict[str, Any]:
    field = name or kind
    keyword = token.value if token.kind == IDENT else None
    if kind in ("event-type", "event"):
        if operator not in _SIMPLE_OPERATORS or keyword is not None:
            raise TriggerError(
                f"{'type' if kind == 'event-type' else 'event'} can only be compared with = or != "
                "to a \"string\"",
                position=token.position,
                field=field,
            )
        return {"type": kind, "operator": operator, "value": _text_value(token)}
    if keyword == "null":
        if operator not in _SIMPLE_OPERATORS:
            raise TriggerError("null can only be compared with = or !=", position=token.position, field=field)
        return {"type": kind, "operator": "exists" if operator == "!=" else "not_exists"}
    if keyword in ("true", "false"):
        if operator != "=" or kind == "name":
            raise TriggerError(f"use '= {keyword}' to test a boolean", position=token.position, field=field)
        return {"type": kind, "operator": "is_true" if keyword == "true" else "is_false"}
    if kind in ("name", "userId"):
        if operator not in _SIMPLE_OPERATORS:
            raise TriggerError(f"{kind} can only be compared with = or !=", position=token.position, field=field)
        return {"type": kind, "operator": operator, "value": _text_value(token)}
    if token.kind == NUMBER:
        number = _number(token.value)
        named = {"=": "number_equals", "!=": "number_not_equals"}.get(operator, operator)
        return {"type": kind, "operator": named, "value": number}
    return {"type": kind, "operator": operator, "value": token.value}


def _text_value(token: Token) -> str:
    return js_string(_number(token.value)) if token.kind == NUMBER else token.value


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _function_operator(function: str, value: Token, negate: bool) -> tuple[str, str]:
    text = value.value
    if function == "contains":
        return ("not_contains" if negate else "contains"), text
    # Segment reads a trailing * as "starts with" and otherwise a leading * as "ends with",
    # taking every other character literally; the UI writes only these two shapes.
    if text.endswith("*"):
        return ("not_starts_with" if negate else "starts_with"), text[:-1]
    if text.startswith("*"):
        return ("not_ends_with" if negate else "ends_with"), text[1:]
    raise TriggerError(
        f"match() in a trigger takes \"prefix*\" or \"*suffix\", got \"{text}\"", position=value.position
    )


def _describe(token: Token) -> str:
    if token.kind == EOS:
        return "the end of the trigger"
    if token.kind == STRING:
        return f'"{token.value}"'
    return f"'{token.value}'"
