"""The SAMPLE filter action: which events a percentage keeps.

With a `path`, the decision depends only on the value at that path, so one user (say)
is either always sampled in or always out. Segment derives a number in [0, 1] from the
MD5 of the value's JSON text with Campbell's `random_real` construction and keeps the
event when that number is below `percent`; that is our default ("segment").

Segment's browser library, @segment/tsub 2.0.1, means to do the same, but as npm
resolves its dependencies today its `ldexp` (from @stdlib/math-base-special-ldexp
0.0.5, which calls a newer `normalize` with the old signature) returns 0 for every
input, so analytics.js keeps every event when 0 < percent < 1. The conformance vectors
were recorded from that library. `SAMPLER_TSUB_JS` reproduces it for anyone who needs
device-mode parity; it is never the default because it does not sample at all.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from typing import Any

from .._js import js_json_stringify

SAMPLER_SEGMENT = "segment"
SAMPLER_TSUB_JS = "tsub-js"
SAMPLERS = (SAMPLER_SEGMENT, SAMPLER_TSUB_JS)


def sample_keeps(
    value: Any,
    percent: float,
    *,
    has_path: bool,
    sampler: str = SAMPLER_SEGMENT,
    rng: Callable[[], float] = random.random,
) -> bool:
    """Return True when an event whose sampled value is `value` is kept.

    `percent` outside (0, 1) short-circuits as in Segment: 0 or less drops everything,
    1 or more keeps everything. Without a path the choice is random for each event
    (kept when a uniform draw is at most `percent`, as tsub does).
    """
    if percent <= 0:
        return False
    if percent >= 1:
        return True
    if not has_path:
        return rng() <= percent
    if sampler == SAMPLER_TSUB_JS:
        return True
    return consistent_uniform(value) < percent


def consistent_uniform(value: Any) -> float:
    """Map a JSON value to a number in [0, 1] that depends only on the value.

    The first 64 bits of the MD5 digest form the significand; leading zero bits are
    shifted out and refilled from the next 64 bits so small numbers keep full precision;
    the lowest bit is set so that rounding to a float is unbiased.
    """
    text = js_json_stringify(value)
    if text is None:
        # JSON.stringify(undefined) is undefined; Segment then hashes the text "undefined".
        text = "undefined"
    digest = hashlib.md5(text.encode("utf-8")).digest()
    high = int.from_bytes(digest[:8], "big")
    low = int.from_bytes(digest[8:], "big")
    shift = 64 - high.bit_length() if high else 64
    significand = ((high << shift) | (low >> (64 - shift))) & (2**64 - 1) if shift else high
    return math.ldexp(float(significand | 1), -64 - shift)
