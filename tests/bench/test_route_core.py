"""The routing benchmark's workload and its Python side, checked against the interpreters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _workload import canonical, js_number, load_mappings, make_event
from route_core import digest, route_sluiceway

from sluiceway import mapping, triggers


def test_event_generator_follows_the_shared_definition() -> None:
    first, fourth = make_event(0), make_event(3)
    assert first["type"] == "track" and first["event"] == "Order Completed"
    assert first["userId"] is None and make_event(1)["userId"] == "user1"
    assert "event" not in make_event(1)
    assert fourth["type"] == "screen" and fourth["context"]["device"]["type"] == "ios"
    assert first["context"]["device"] == {"type": "android", "id": "d0"}
    assert make_event(1001)["userId"] == "user1"
    assert make_event(42)["properties"]["revenue"] == 42.5
    assert make_event(7)["context"]["page"]["url"] == "https://x.com/p?q=7"


def test_event_generator_writes_a_whole_event_as_the_readme_spells_it() -> None:
    assert make_event(10) == {
        "type": "track", "event": "Signed Up", "messageId": "m10", "userId": "user10",
        "anonymousId": "anon10", "timestamp": "2026-11-22T10:00:00.000Z",
        "context": {
            "ip": "10.0.0.1", "userAgent": "Mozilla/5.0",
            "library": {"name": "analytics.js", "version": "2.1"},
            "device": {"type": "android", "id": "d10"},
            "page": {"url": "https://x.com/p?q=10", "path": "/p", "referrer": "https://google.com", "title": "T"},
            "locale": "en-US", "os": {"name": "iOS", "version": "17"},
        },
        "properties": {
            "revenue": 10.5, "currency": "USD", "order_id": "o10",
            "products": [
                {"product_id": "p1", "price": 9.99, "quantity": 1, "name": "Shoe"},
                {"product_id": "p2", "price": 19.99, "quantity": 2, "name": "Hat"},
            ],
            "email": "a10@example.com", "plan": "pro",
        },
        "traits": {"email": "u10@example.com", "name": "User 10", "plan": "premium",
                   "address": {"city": "SF", "country": "US"}},
    }


def _interpreted_payloads(events: list[dict[str, Any]]) -> list[Any]:
    routes = [(triggers.parse_fql(m["subscribe"]), m["mapping"]) for m in load_mappings()]
    return [mapping.transform(m, e) for e in events for ast, m in routes if triggers.validate(ast, e)]


def test_compiled_routing_produces_what_the_interpreters_produce() -> None:
    events = [make_event(i) for i in range(500)]
    result = route_sluiceway(events, warmup=50)
    interpreted = _interpreted_payloads(events)
    assert result["payloads"] == len(interpreted) > 0
    assert result["digest"] == digest(interpreted)


@pytest.mark.parametrize(("number", "javascript"), [
    (1.0, "1"), (-0.0, "0"), (99.5, "99.5"), (9.99, "9.99"), (0.1 + 0.2, "0.30000000000000004"),
    (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"),
    (1e-6, "0.000001"), (1e-7, "1e-7"), (2.5e-8, "2.5e-8"), (123e-20, "1.23e-18"),
    (float("nan"), "null"), (float("inf"), "null"),
])
def test_canonical_numbers_are_written_as_javascript_writes_them(number: float, javascript: str) -> None:
    assert js_number(number) == javascript
    assert canonical([number]) == f"[{javascript}]"


def test_canonical_json_drops_undefined_keys_and_sorts_by_utf16_units() -> None:
    payload = {"b": 1, "a": mapping.MISSING, "\uffff": 2, "\U0001f600": 3, "list": [mapping.MISSING, None, True]}
    assert canonical(payload) == '{"b":1,"list":[null,null,true],"\U0001f600":3,"\uffff":2}'


def test_canonical_strings_escape_lone_surrogates_and_join_pairs() -> None:
    assert canonical("a\ud83d") == '"a\\ud83d"'
    assert canonical("\ud83d\ude00") == '"\U0001f600"'
    assert canonical('quote " and \n') == '"quote \\" and \\n"'


@pytest.mark.slow
def test_full_workload_produces_the_documented_95000_payloads() -> None:
    result = route_sluiceway([make_event(i) for i in range(100_000)], warmup=0)
    assert result["payloads"] == 95_000
