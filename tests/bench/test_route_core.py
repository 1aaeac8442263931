"""The routing benchmark's workload and its Python side, checked against the interpreters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _workload import load_mappings, make_event
from route_core import route_sluiceway

from sluiceway import mapping, triggers


def test_event_generator_follows_the_shared_definition() -> None:
    first, fourth = make_event(0), make_event(3)
    assert first["type"] == "track" and first["event"] == "Order Completed"
    assert first["userId"] is None and make_event(1)["userId"] == "user1"
    assert "event" not in make_event(1)
    assert fourth["type"] == "screen" and fourth["context"]["device"]["type"] == "ios"
    assert make_event(1001)["userId"] == "user1"
    assert make_event(42)["properties"]["revenue"] == 42.5
    assert make_event(7)["context"]["page"]["url"] == "https://x.com/p?q=7"


def _interpreted_payloads(events: list[dict]) -> list:
    routes = [(triggers.parse_fql(m["subscribe"]), m["mapping"]) for m in load_mappings()]
    return [mapping.transform(m, e) for e in events for ast, m in routes if triggers.validate(ast, e)]


def test_compiled_routing_produces_what_the_interpreters_produce() -> None:
    events = [make_event(i) for i in range(500)]
    result = route_sluiceway(events, warmup=50)
    assert result["payloads"] == len(_interpreted_payloads(events))


@pytest.mark.slow
def test_full_workload_produces_the_documented_95000_payloads() -> None:
    result = route_sluiceway([make_event(i) for i in range(100_000)], warmup=0)
    assert result["payloads"] == 95_000
