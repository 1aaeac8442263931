"""Tokens of trigger FQL, cut the way Segment's own lexer (@segment/fql-ts) cuts them.

Two details decide what some triggers mean, so we keep them: a string literal runs from
a double quote to the next double quote, with no escape sequences; and a backslash in
a field name takes the next character literally (`properties.product\\ 1`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import TriggerError

IDENT, STRING, NUMBER, OPERATOR, CONDITIONAL, DOT, COMMA, LPAREN, RPAREN, EOS = (
    "ident", "string", "number", "operator", "conditional", "dot", "comma", "(", ")", "end of input"
)
_TWO_CHAR_OPERATORS = ("!=", "<=", ">=")
_ONE_CHAR_OPERATORS = "=<>!"
_PUNCTUATION = {".": DOT, ",": COMMA, "(": LPAREN, ")": RPAREN}
_DIGITS = "0123456789"
_DIGIT_SET = set(_DIGITS)
_IDENT_STOP = set(" \t\r\n.,()=!<>\"'")


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    position: int


def tokenize(text: str) -> list[Token]:
    """Split trigger FQL into tokens, ending with an EOS token."""
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in _PUNCTUATION:
            tokens.append(Token(_PUNCTUATION[char], char, index))
            index += 1
        elif text.startswith(_TWO_CHAR_OPERATORS, index):
            tokens.append(Token(OPERATOR, text[index : index + 2], index))
            index += 2
        elif char in _ONE_CHAR_OPERATORS:
            tokens.append(Token(OPERATOR, char, index))
            index += 1
        elif char == '"':
            index = _read_string(text, index, tokens)
        elif char == "'":
            raise TriggerError("values must be in double quotes, not single quotes", position=index)
        elif char in _DIGITS or (char == "-" and text[index + 1 : index + 2] in _DIGIT_SET):
            index = _read_number(text, index, tokens)
        else:
            index = _read_ident(text, index, tokens)
    tokens.append(Token(EOS, "", len(text)))
    return tokens


def _read_string(text: str, start: int, tokens: list[Token]) -> int:
    end = text.find('"', start + 1)
    if end < 0:
        raise TriggerError("the string that starts here has no closing double quote", position=start)
    tokens.append(Token(STRING, text[start + 1 : end], start))
    return _skip_glued_tail(text, end + 1)


def _skip_glued_tail(text: str, index: int) -> int:
    """Skip text glued to a closing quote, as Segment does (the value is already read).

    `"Order \\"Special\\""` is the value `Order \\` to Segment, and the generator writes
    `"He said "hi""` for a value with quotes; both must read as Segment reads them.
    """
    while index < len(text) and not text[index].isspace() and text[index] not in "(),":
        if text[index] == '"':
            close = text.find('"', index + 1)
            index = len(text) if close < 0 else close + 1
        else:
            index += 1
    return index


def _read_number(text: str, start: int, tokens: list[Token]) -> int:
    index = start + 1
    while index < len(text) and text[index] in _DIGITS:
        index += 1
    if text[index : index + 1] == "." and text[index + 1 : index + 2] in _DIGIT_SET:
        index += 1
        while index < len(text) and text[index] in _DIGITS:
            index += 1
    if index < len(text) and (text[index].isalpha() or text[index] == "_"):
        raise TriggerError(
            f"'{text[start:index + 1]}' is not a number (exponents and units are not supported)",
            position=start,
        )
    tokens.append(Token(NUMBER, text[start:index], start))
    return index


def _read_ident(text: str, start: int, tokens: list[Token]) -> int:
    chars: list[str] = []
    index = start
    while index < len(text) and text[index] not in _IDENT_STOP:
        if text[index] == "\\":
            if index + 1 >= len(text):
                raise TriggerError("a backslash must be followed by the character it escapes", position=index)
            chars.append(text[index + 1])
            index += 2
        else:
            chars.append(text[index])
            index += 1
    word = "".join(chars)
    kind = CONDITIONAL if word in ("and", "or") else IDENT
    tokens.append(Token(kind, word, start))
    return index
