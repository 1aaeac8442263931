"""The shared routing workload: five mappings, the event generator, and canonical JSON.

`make_event(i)` follows the shared bench README to the letter, and the Node peer
(peer/route_core.cjs) builds the same events, so both sides route identical input.
`canonical` writes a payload exactly as the peer's `canonical` does in JavaScript, so
the two sides can compare digests of their payloads byte for byte.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from sluiceway import mapping

WORKLOAD = Path(__file__).with_name("workload.json")
TYPES = ("track", "identify", "page", "screen", "group")
TRACK_EVENTS = ("Order Completed", "Product Viewed", "Signed Up", "Button Clicked")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_mappings() -> list[dict[str, Any]]:
    """The five workload entries: `name`, `subscribe` (trigger FQL) and `mapping`."""
    return json.loads(WORKLOAD.read_text())["mappings"]


def make_event(i: int) -> dict[str, Any]:
    """Event `i` of the workload, built the same way in every language."""
    event: dict[str, Any] = {"type": TYPES[i % 5]}
    if event["type"] == "track":
        event["event"] = TRACK_EVENTS[i % 4]
    event.update({
        "messageId": f"m{i}",
        "userId": f"user{i % 1000}" if i % 3 != 0 else None,
        "anonymousId": f"anon{i}",
        "timestamp": "2026-11-22T10:00:00.000Z",
        "context": {
            "ip": "10.0.0.1",
            "userAgent": "Mozilla/5.0",
            "library": {"name": "analytics.js", "version": "2.1"},
            "device": {"type": "ios" if i % 2 else "android", "id": f"d{i}"},
            "page": {"url": f"https://x.com/p?q={i}", "path": "/p", "referrer": "https://google.com", "title": "T"},
            "locale": "en-US",
            "os": {"name": "iOS", "version": "17"},
        },
        "properties": {
            "revenue": (i % 100) + 0.5,
            "currency": "USD",
            "order_id": f"o{i}",
            "products": [
                {"product_id": "p1", "price": 9.99, "quantity": 1, "name": "Shoe"},
                {"product_id": "p2", "price": 19.99, "quantity": 2, "name": "Hat"},
            ],
            "email": f"a{i}@example.com",
            "plan": "pro",
        },
        "traits": {
            "email": f"u{i}@example.com",
            "name": f"User {i}",
            "plan": "premium",
            "address": {"city": "SF", "country": "US"},
        },
    })
    return event


def canonical(value: Any) -> str:
    """Sorted-key compact JSON as JavaScript's JSON.stringify would write it.

    Python's json module differs from JavaScript where it matters for a digest: 1.0 is
    "1" in JavaScript, 1e-7 is "1e-7" and 1e20 is "100000000000000000000"; undefined
    (`mapping.MISSING`) is left out of objects and written null in arrays; keys sort by
    UTF-16 code units. Written out here so equal payloads always hash equal.
    """
    if value is None or value is mapping.MISSING:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _js_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, dict):
        items = sorted(
            ((_utf16(key), key, item) for key, item in value.items() if item is not mapping.MISSING),
            key=lambda entry: entry[0],
        )
        return "{" + ",".join(_js_string(key) + ":" + canonical(item) for _, key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    raise TypeError(f"payload holds {type(value).__name__}, which JSON cannot carry")


def js_number(number: float) -> str:
    """Number::toString as ECMAScript defines it; the digits are Python's shortest repr."""
    if not math.isfinite(number):
        return "null"
    if number == 0:
        return "0"
    shortest = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(map(str, shortest.digits))
    point = shortest.exponent + len(digits)  # |number| = 0.digits x 10**point
    return ("-" if number < 0 else "") + _place_point(digits, point)


def _place_point(digits: str, point: int) -> str:
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    written = digits if count == 1 else digits[0] + "." + digits[1:]
    return f"{written}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def _js_string(text: str) -> str:
    written = json.dumps(text, ensure_ascii=False)
    if not _SURROGATE.search(written):
        return written
    # JSON.stringify writes a surrogate pair as its character and escapes a lone one.
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", json.dumps(joined, ensure_ascii=False))


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")
