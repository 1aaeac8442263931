"""Glob patterns for FQL's `match()`: whole-string, case-sensitive, linear-time.

`*` matches any run (including `/` and nothing), `?` one character, `[abc]` / `[a-z]` /
`[^a-z]` one character from (or not from) a class, and `\\x` a literal x. A malformed
pattern (a trailing backslash, an unterminated or empty class) matches nothing, as in
Segment's evaluators.

Matching is the classic two-pointer walk that, on a mismatch, only ever retries from the
most recent `*`: at most len(text) x len(pattern) steps, never exponential, whatever
the pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

_STAR = object()
_ANY = object()

# A class is (negated, ((low, high), ...)); a literal character is a one-character str.
_ClassToken = tuple[bool, tuple[tuple[str, str], ...]]
_Token = object

Matcher = Callable[[str], bool]


class _BadPattern(Exception):
    """Internal: the pattern is malformed, so it matches nothing."""


def _parse_class(pattern: str, start: int) -> tuple[_ClassToken, int]:
    """The class opening at pattern[start] == '[' and the index just after its ']'."""
    index = start + 1
    negated = index < len(pattern) and pattern[index] == "^"
    if negated:
        index += 1
    ranges: list[tuple[str, str]] = []
    while True:
        if index >= len(pattern):
            raise _BadPattern
        if pattern[index] == "]" and ranges:
            return (negated, tuple(ranges)), index + 1
        low, index = _class_character(pattern, index)
        high = low
        if index < len(pattern) and pattern[index] == "-":
            high, index = _class_character(pattern, index + 1)
        ranges.append((low, high))


def _class_character(pattern: str, index: int) -> tuple[str, int]:
    if index >= len(pattern) or pattern[index] in "-]":
        raise _BadPattern
    if pattern[index] == "\\":
        index += 1
        if index >= len(pattern):
            raise _BadPattern
    return pattern[index], index + 1


def _tokens(pattern: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "*":
            if not tokens or tokens[-1] is not _STAR:
                tokens.append(_STAR)
            index += 1
        elif character == "?":
            tokens.append(_ANY)
            index += 1
        elif character == "[":
            token, index = _parse_class(pattern, index)
            tokens.append(token)
        elif character == "\\":
            if index + 1 >= len(pattern):
                raise _BadPattern
            tokens.append(pattern[index + 1])
            index += 2
        else:
            tokens.append(character)
            index += 1
    return tuple(tokens)


def _matches_one(token: _Token, character: str) -> bool:
    if token.__class__ is str:
        return token == character
    if token is _ANY:
        return True
    negated, ranges = token  # type: ignore[misc]
    inside = any(low <= character <= high for low, high in ranges)
    return inside is not negated


def _walk(tokens: tuple[_Token, ...], text: str) -> tuple[bool, int]:
    """(matched, steps): the two-pointer match, counting loop iterations."""
    position = token_index = steps = 0
    star_index = -1
    star_position = 0
    length, count = len(text), len(tokens)
    while position < length:
        steps += 1
        if token_index < count:
            token = tokens[token_index]
            if token is _STAR:
                star_index, star_position = token_index, position
                token_index += 1
                continue
            if _matches_one(token, text[position]):
                position += 1
                token_index += 1
                continue
        if star_index < 0:
            return False, steps
        # Let the last star absorb one more character and retry what follows it.
        star_position += 1
        position, token_index = star_position, star_index + 1
    while token_index < count and tokens[token_index] is _STAR:
        token_index += 1
    return token_index == count, steps


def _never(_text: str) -> bool:
    return False


def _always(_text: str) -> bool:
    return True


def _literal_matcher(tokens: tuple[_Token, ...]) -> Matcher | None:
    """A str-method matcher for `lit`, `lit*`, `*lit`, `*lit*`; None for other shapes."""
    leading = bool(tokens) and tokens[0] is _STAR
    trailing = len(tokens) > int(leading) and tokens[-1] is _STAR
    middle = tokens[int(leading) : len(tokens) - int(trailing)]
    if not all(token.__class__ is str for token in middle):
        return None
    literal = "".join(middle)  # type: ignore[arg-type]
    if leading and trailing:
        return lambda text: literal in text
    if leading:
        return lambda text: text.endswith(literal) if literal else True
    if trailing:
        return lambda text: text.startswith(literal)
    return lambda text: text == literal


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Matcher:
    """A predicate text -> bool for `pattern`, built once per pattern."""
    try:
        tokens = _tokens(pattern)
    except _BadPattern:
        return _never
    if tokens == (_STAR,):
        return _always
    fast = _literal_matcher(tokens)
    if fast is not None:
        return fast
    return lambda text: _walk(tokens, text)[0]


def glob_match(text: str, pattern: str) -> bool:
    """True when the whole of `text` matches the glob `pattern` (case-sensitive)."""
    if not isinstance(text, str) or not isinstance(pattern, str):
        return False
    return compile_glob(pattern)(text)


def match_with_steps(text: str, pattern: str) -> tuple[bool, int]:
    """(matched, steps taken) by the general matcher; lets tests bound the work done."""
    try:
        tokens = _tokens(pattern)
    except _BadPattern:
        return False, 0
    return _walk(tokens, text)
