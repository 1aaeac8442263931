"""FQL text -> tokens, each with the character offset where it starts.

Paths come out already split into segments with escapes resolved; a bare word that is a
keyword (`and`, `true`, `all`...) comes out as that keyword. Strings take `\\\\` and
`\\<quote>` as escapes and keep any other backslash as written, so glob escapes such as
`'ab\\*d'` reach `match()` intact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .errors import FqlError

KEYWORDS = frozenset({"and", "or", "in", "true", "false", "null", "all"})

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_KEY_CHARACTER = re.compile(r"[A-Za-z0-9_\-]")
_PUNCTUATION = {"(": "(", ")": ")", "[": "[", "]": "]", ",": ","}
_WHITESPACE = " \t\r\n"
_DIGITS = "0123456789"
# Python refuses to convert longer digit strings; no real filter needs them.
_MAX_INTEGER_DIGITS = 4000
_DIGIT_SET = frozenset(_DIGITS)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexeme. `kind` is path, string, number, keyword, an operator or punctuation."""

    kind: str
    position: int
    text: str
    value: Any = None


def describe(token: Token) -> str:
    """How an error message names a token."""
    if token.kind == "end":
        return "end of input"
    if token.kind == "string":
        return f"string {token.text}"
    if token.kind == "number":
        return f"number {token.text}"
    if token.kind == "path":
        return f"field {token.text}"
    return f"'{token.text}'"


def tokenize(text: str) -> list[Token]:
    """Every token of `text`, ending with an `end` token; raises FqlError."""
    tokens: list[Token] = []
    index = 0
    length = len(text)
    while True:
        while index < length and text[index] in _WHITESPACE:
            index += 1
        if index >= length:
            tokens.append(Token("end", length, ""))
            return tokens
        token = _next_token(text, index)
        tokens.append(token)
        index = token.position + len(token.text)


def _next_token(text: str, index: int) -> Token:
    character = text[index]
    if character in _PUNCTUATION:
        return Token(character, index, character)
    if character in "'\"":
        return _string(text, index)
    if character in _DIGITS or (character == "-" and text[index + 1 : index + 2] in _DIGIT_SET):
        return _number(text, index)
    if (character.isalpha() and character.isascii()) or character in "_\\":
        return _path(text, index)
    pair = text[index : index + 2]
    if pair in ("!=", ">=", "<="):
        return Token(pair, index, pair)
    if character in "=<>!":
        return Token(character, index, character)
    raise FqlError(f"unexpected character {character!r}{_hint(character)}", index)


def _hint(character: str) -> str:
    if character in "&|":
        return "; write 'and' or 'or'"
    if character.isalnum() or character in "$@#:/ .":
        return "; a field name must escape characters outside a-z A-Z 0-9 _ - with a backslash"
    return ""


def _string(text: str, start: int) -> Token:
    quote = text[start]
    parts: list[str] = []
    index = start + 1
    while index < len(text):
        character = text[index]
        if character == quote:
            return Token("string", start, text[start : index + 1], "".join(parts))
        if character == "\\" and index + 1 < len(text) and text[index + 1] in ("\\", quote):
            parts.append(text[index + 1])
            index += 2
            continue
        parts.append(character)
        index += 1
    raise FqlError(f"unterminated string: expected a closing {quote} for the string started here", start)


def _number(text: str, start: int) -> Token:
    found = _NUMBER.match(text, start)
    assert found is not None  # the caller saw a digit
    end = found.end()
    if end < len(text) and (_KEY_CHARACTER.match(text[end]) or text[end] in ".\\"):
        raise FqlError(
            f"invalid number {text[start : end + 1]!r}: a number must not run into {text[end]!r}",
            start,
        )
    literal = found.group()
    if found.group(1) is None and found.group(2) is None:
        if len(literal) > _MAX_INTEGER_DIGITS:
            raise FqlError(f"number is longer than {_MAX_INTEGER_DIGITS} digits", start)
        return Token("number", start, literal, int(literal))
    value = float(literal)
    if not math.isfinite(value):
        raise FqlError(f"number {literal} is out of range", start)
    return Token("number", start, literal, value)


def _path(text: str, start: int) -> Token:
    segments: list[str] = []
    current: list[str] = []
    index = start
    escaped = False
    while index < len(text):
        character = text[index]
        if character == "\\":
            if index + 1 >= len(text):
                raise FqlError("expected a character after '\\' but found end of input", index)
            current.append(text[index + 1])
            escaped = True
            index += 2
        elif _KEY_CHARACTER.match(character):
            current.append(character)
            index += 1
        elif character == ".":
            if not current:
                break
            segments.append("".join(current))
            current = []
            index += 1
        else:
            break
    if not current:
        found = "end of input" if index >= len(text) else repr(text[index])
        raise FqlError(f"expected a field name after '.' but found {found}", index)
    segments.append("".join(current))
    raw = text[start:index]
    if not escaped and len(segments) == 1 and raw in KEYWORDS:
        return Token(raw, start, raw)
    return Token("path", start, raw, tuple(segments))
