"""match()'s glob: Segment's semantics, malformed patterns, and linear work on any pattern."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sluiceway import fql
from sluiceway.fql._glob import compile_glob, match_with_steps

# Behaviours of Segment's glob (segmentio/glob, mirrored by tsub), in our own table.
SEGMENT_GLOB = [
    ("abc", "abc", True),
    ("*", "abc", True),
    ("*c", "abc", True),
    ("*b", "abc", False),
    ("a*", "a", True),
    ("a*", "ab/c", True),  # no path separator: `*` crosses `/`
    ("a*/b", "a/c/b", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("*a*b*c*", "abcabcabc", True),
    ("ab[c]", "abc", True),
    ("ab[b-d]", "abc", True),
    ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False),
    ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a\\ b", "a b", True),
    ("a?b", "a☺b", True),
    ("a???b", "a☺b", False),
    ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False),
    ("[\\]a]", "]", True),
    ("[\\-]", "-", True),
    ("[x\\-]", "-", True),
    ("[x\\-]", "z", False),
    ("*x", "xxx", True),
    ("a]b", "a]b", True),
    ("[*]", "*", True),
    ("[z-a]x", "ax", False),
    ("[^z-a]x", "ax", True),
    ("a\\?", "a?", True),
    ("a\\?", "ab", False),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), SEGMENT_GLOB)
def test_glob_matches_as_segments_glob_does(pattern: str, text: str, expected: bool) -> None:
    assert fql.glob_match(text, pattern) is expected
    assert match_with_steps(text, pattern)[0] is expected, "the general matcher must agree"


MALFORMED = ["\\", "a\\", "[", "[^", "[^bc", "a[", "[]a]", "[-]", "[x-]", "[-x]", "[a-b-c]", "[a", "[a\\]", "*[a-", "[]"]


@pytest.mark.parametrize("pattern", MALFORMED)
def test_malformed_pattern_matches_nothing(pattern: str) -> None:
    # Segment's glob reports a bad pattern and tsub then answers false.
    for text in ("", "a", "x", "-", "]", "[", pattern, "a" * 5):
        assert not fql.glob_match(text, pattern)


@pytest.mark.parametrize(("text", "pattern"), [(None, "*"), (5, "*"), (["a"], "*"), ("a", None), ("a", 1)])
def test_glob_match_is_false_unless_both_are_strings(text: Any, pattern: Any) -> None:
    assert fql.glob_match(text, pattern) is False


def test_match_is_case_sensitive_and_whole_string() -> None:
    assert not fql.glob_match("Order Completed", "order*")
    assert not fql.glob_match("Order Completed", "Order")
    assert fql.glob_match("Order Completed", "Order*")


# -- agreement with a straightforward dynamic-programming matcher -------------------------

ALPHABET = "ab*?[]\\-"
_SPECIAL = "*?[\\"


@st.composite
def _pattern_tokens(draw: st.DrawFn) -> list[tuple]:
    token = st.one_of(
        st.sampled_from(ALPHABET).map(lambda char: ("literal", char)),
        st.just(("any",)),
        st.just(("star",)),
        st.builds(
            lambda negated, chars, ranged: ("class", negated, frozenset(chars), ranged),
            st.booleans(),
            st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=3),
            st.booleans(),
        ),
    )
    return draw(st.lists(token, max_size=8))


def _spell(tokens: list[tuple]) -> str:
    out = []
    for token in tokens:
        if token[0] == "literal":
            out.append(("\\" + token[1]) if token[1] in _SPECIAL else token[1])
        elif token[0] == "any":
            out.append("?")
        elif token[0] == "star":
            out.append("*")
        else:
            _, negated, chars, ranged = token
            body = "".join("\\" + char for char in sorted(chars))
            out.append("[" + ("^" if negated else "") + body + ("a-b" if ranged else "") + "]")
    return "".join(out)


def _one_char(token: tuple, char: str) -> bool:
    if token[0] == "literal":
        return char == token[1]
    if token[0] == "any":
        return True
    _, negated, chars, ranged = token
    inside = char in chars or (ranged and "a" <= char <= "b")
    return inside is not negated


def _oracle(tokens: list[tuple], text: str) -> bool:
    """reachable[j]: the pattern so far can consume exactly text[:j]."""
    reachable = [True] + [False] * len(text)
    for token in tokens:
        if token[0] == "star":
            for j in range(1, len(text) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j] and _one_char(token, text[j]) for j in range(len(text))]
    return reachable[len(text)]


@settings(max_examples=400)
@given(_pattern_tokens(), st.text(ALPHABET, max_size=10))
def test_glob_agrees_with_a_dynamic_programming_matcher(tokens: list[tuple], text: str) -> None:
    pattern = _spell(tokens)
    expected = _oracle(tokens, text)
    assert fql.glob_match(text, pattern) is expected
    assert match_with_steps(text, pattern)[0] is expected


@pytest.mark.slow
@settings(max_examples=10_000)
@given(_pattern_tokens(), st.text(ALPHABET, max_size=16))
def test_glob_agrees_with_a_dynamic_programming_matcher_thoroughly(tokens: list[tuple], text: str) -> None:
    assert fql.glob_match(text, _spell(tokens)) is _oracle(tokens, text)


# -- work done on adversarial input ----------------------------------------------------------

ADVERSARIAL = [
    ("*a*a*a*a*a*a*a*b", "a" * 2_000, False),
    ("*a*a*a*a*a*a*a*a", "a" * 2_000, True),
    ("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab", "a" * 1_000, False),
    ("*?a?a?a?a?a*[ab]*b", "a" * 2_000, False),
    ("*aaaaaaaaaaaaaaaaaaab*", "a" * 2_000, False),
    ("*a?aaaaaaaaaaaaaaaab*", "a" * 2_000, False),
]


def _bound(text: str, pattern: str) -> int:
    """The two-pointer walk's worst case: every (text position, pattern position) once."""
    return (len(text) + 1) * (len(pattern) + 1)


@pytest.mark.parametrize(("pattern", "text", "expected"), ADVERSARIAL)
def test_hostile_pattern_takes_at_most_text_times_pattern_steps(pattern: str, text: str, expected: bool) -> None:
    """A backtracking matcher needs exponentially many steps on these; ours stays within
    len(text) x len(pattern), and the public matcher gives the same answer."""
    matched, steps = match_with_steps(text, pattern)
    assert matched is expected
    assert steps <= _bound(text, pattern)
    assert compile_glob(pattern)(text) is expected


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["*", "a", "?", "b", "[ab]", "a*a"]), max_size=30), st.integers(0, 200))
def test_steps_never_exceed_text_times_pattern(parts: list[str], size: int) -> None:
    pattern = "".join(parts)
    text = "a" * size
    assert match_with_steps(text, pattern)[1] <= _bound(text, pattern)


def test_steps_grow_linearly_with_the_text_for_a_fixed_hostile_pattern() -> None:
    pattern = "*a*a*a*a*a*a*a*b"
    small = match_with_steps("a" * 100, pattern)[1]
    large = match_with_steps("a" * 1_000, pattern)[1]
    # Ten times the text, at most ten times (plus slack) the work: no blow-up.
    assert large <= 11 * small


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("Order*", "Order Completed", True),
    ("*Completed", "Order Completed", True),
    ("*der Com*", "Order Completed", True),
    ("Order Completed", "Order Completed", True),
    ("Order", "Order Completed", False),
    ("*", "", True),
    ("", "", True),
    ("", "a", False),
    ("a**b", "ab", True),
])
def test_literal_shapes_take_a_shortcut_with_the_same_answer(pattern: str, text: str, expected: bool) -> None:
    assert compile_glob(pattern)(text) is expected
    assert match_with_steps(text, pattern)[0] is expected
