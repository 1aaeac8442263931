"""The shared routing workload: five mappings and the deterministic event generator.

`make_event(i)` follows ../shared/bench/README.md to the letter, and the Node peer
(peer/route_core.cjs) builds the same events, so both sides route identical input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

WORKLOAD = Path(__file__).with_name("workload.json")
TYPES = ("track", "identify", "page", "screen", "group")
TRACK_EVENTS = ("Order Completed", "Product Viewed", "Signed Up", "Button Clicked")


def load_mappings() -> list[dict[str, Any]]:
    return json.loads(WORKLOAD.read_text())["mappings"]


def make_event(i: int) -> dict[str, Any]:
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


def canonical(payload: Any) -> str:
    """Sorted-key compact JSON, written identically by the Node peer."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
