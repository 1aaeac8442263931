"""JavaScript's view of text, where mapping-kit's results depend on it.

JavaScript strings are sequences of UTF-16 code units, Python's of code points. The two
agree until a character lies outside the Basic Multilingual Plane (an emoji, say): then
JavaScript counts it twice (`"😀".length` is 2), spreads it into two halves
(`{..."😀"}`), and its case-insensitive regular expressions compare the halves. These
helpers give the JavaScript answer so mapping-kit's limits and results match.
"""

from __future__ import annotations

import functools
import re

# JavaScript's String.prototype.trim strips WhiteSpace and LineTerminator: Python's
# str.strip() differs (it strips \x1c-\x1f and \x85, and keeps \ufeff).
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text: str) -> str:
    """String.prototype.trim."""
    return text.strip(JS_WHITESPACE)


def utf16_length(text: str) -> int:
    """String.prototype.length: characters beyond U+FFFF count twice."""
    length = len(text)
    if not text.isascii():
        length += sum(1 for char in text if ord(char) > 0xFFFF)
    return length


def utf16_units(text: str) -> list[str]:
    """The string's UTF-16 code units, each as a one-character string (halves of pairs
    become lone surrogates), as `Object.assign({}, text)` and `{...text}` enumerate them."""
    if text.isascii() or all(ord(char) <= 0xFFFF for char in text):
        return list(text)
    units: list[str] = []
    for char in text:
        point = ord(char)
        if point <= 0xFFFF:
            units.append(char)
        else:
            point -= 0x10000
            units.append(chr(0xD800 + (point >> 10)))
            units.append(chr(0xDC00 + (point & 0x3FF)))
    return units


def literal_pattern(pattern: str, *, ignore_case: bool) -> re.Pattern[str]:
    """A regular expression matching `pattern` literally, as `new RegExp(escaped, "i")`.

    Without the `u` flag JavaScript compares case-insensitively by Canonicalize: a
    character stands for its upper case when that is one character and does not turn
    non-ASCII into ASCII. Python's re.IGNORECASE folds differently (it equates `ß` and
    `ẞ`, `ᾳ` and `ᾼ`), so each character becomes the class of its JavaScript equals.
    """
    if not ignore_case:
        return re.compile(re.escape(pattern))
    parts = []
    for char in pattern:
        equals = _case_equals().get(_canonicalize(char), char) if ord(char) <= 0xFFFF else char
        parts.append(re.escape(equals) if len(equals) == 1 else "[" + "".join(map(re.escape, equals)) + "]")
    return re.compile("".join(parts))


def _canonicalize(char: str) -> str:
    upper = char.upper()
    if len(upper) != 1 or (ord(char) >= 128 and ord(upper) < 128):
        return char
    return upper


@functools.cache
def _case_equals() -> dict[str, str]:
    """For each canonical character of the BMP, every character that canonicalizes to it."""
    groups: dict[str, str] = {}
    for point in range(0x10000):
        if 0xD800 <= point < 0xE000:
            continue
        char = chr(point)
        canonical = _canonicalize(char)
        groups[canonical] = groups.get(canonical, "") + char
    return groups
