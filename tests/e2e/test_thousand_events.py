"""1,000 events from Segment's Python SDK, two destinations, three mappings, one filter.

The webhook destination has two mappings (orders as POST, sign-ups as PUT) and a
filter that drops test orders; Amplitude has one mapping (Identify Calls, its preset)
pointed at a local stand-in with `base_url_override`. Every request the stand-ins
receive is checked, and so are Delivery Overview's counts for both destinations.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest
from segment.analytics.client import Client

from sluiceway import kit
from sluiceway.kit.testing import MockServer

from .conftest import Service

pytestmark = pytest.mark.slow

ORDERS, TEST_ORDERS, SIGNUPS, IDENTIFIES = 500, 100, 200, 200


def _setup(service: Service, hook: MockServer, amplitude: MockServer) -> dict[str, Any]:
    source = service.api("POST", "/sources", {"name": "Website"}, status=201)
    webhook = service.api(
        "POST", "/destinations",
        {"name": "Hook", "type": "actions-webhook", "source_ids": [source["id"]]}, status=201,
    )
    for name, subscribe, method, path, data in [
        ("Orders", 'event = "Order Completed"', "POST", "/orders",
         {"order": {"@path": "$.properties.order"}, "total": {"@path": "$.properties.total"}}),
        ("Signups", 'event = "Signed Up"', "PUT", "/signups", {"user": {"@path": "$.userId"}}),
    ]:
        service.api(
            "POST", f"/destinations/{webhook['id']}/mappings",
            {"name": name, "subscribe": subscribe, "action": "send", "enabled": True,
             "mapping": {"url": f"{hook.url}{path}", "method": method, "data": data}},
            status=201,
        )
    service.api(
        "POST", f"/destination/{webhook['id']}/filters",
        {"sourceId": source["id"], "title": "No test orders", "if": "properties.test = true",
         "actions": [{"type": "DROP"}], "enabled": True},
        status=200,  # the Public API answers a created filter with 200
    )
    amp = service.api(
        "POST", "/destinations",
        {"name": "Amplitude", "type": "actions-amplitude", "source_ids": [source["id"]],
         "settings": {"apiKey": "AMP_KEY", "secretKey": "AMP_SECRET", "base_url_override": amplitude.url}},
        status=201,
    )
    amplitude_type = kit.catalog()["actions-amplitude"]
    preset = next(p for p in amplitude_type.presets if p.name == "Identify Calls")
    preset_mapping = preset.mapping or amplitude_type.actions[preset.action].default_mapping()
    service.api(
        "POST", f"/destinations/{amp['id']}/mappings",
        {"name": "Identify Calls", "subscribe": preset.subscribe, "action": preset.action,
         "mapping": preset_mapping, "enabled": True},
        status=201,
    )
    return {"source": source, "webhook": webhook, "amplitude": amp}


def _send(write_key: str, url: str) -> None:
    client = Client(write_key, host=url, upload_size=100, max_queue_size=5000)
    for n in range(ORDERS + TEST_ORDERS):
        test = n >= ORDERS
        client.track(f"user-{n % 50}", "Order Completed", {"order": n, "total": n + 0.5, "test": test})
    for n in range(SIGNUPS):
        client.track(f"new-{n}", "Signed Up", {"plan": "free"})
    for n in range(IDENTIFIES):
        client.identify(f"user-{n}", {"plan": "pro", "seats": n})
    client.flush()
    client.join()


def _overview(service: Service, destination_id: str) -> dict[str, Any]:
    return service.api("GET", f"/destinations/{destination_id}/delivery-overview")


def _step(overview: dict[str, Any], step: str) -> int:
    return next(s["count"] for s in overview["steps"] if s["step"] == step)


def _reasons(overview: dict[str, Any]) -> dict[str, int]:
    return {d["reason"]: d["count"] for d in overview["discards"]}


def test_a_thousand_sdk_events_reach_two_destinations_exactly(service: Service) -> None:
    with MockServer() as hook, MockServer() as amplitude:
        setup = _setup(service, hook, amplitude)
        _send(setup["source"]["write_key"], service.url)
        expected = ORDERS + SIGNUPS + IDENTIFIES
        service.wait_for(
            lambda: len(hook.requests) + len(amplitude.requests) >= expected, timeout=120,
            what=f"{expected} vendor requests",
        )
        service.wait_for(
            lambda: _step(_overview(service, setup["amplitude"]["id"]), "successful_delivery") >= IDENTIFIES
            and _step(_overview(service, setup["webhook"]["id"]), "successful_delivery") >= ORDERS + SIGNUPS,
            timeout=30, what="Delivery Overview to count every delivery",
        )

        orders = [r for r in hook.requests if r.path == "/orders"]
        signups = [r for r in hook.requests if r.path == "/signups"]
        assert {r.method for r in orders} == {"POST"} and {r.method for r in signups} == {"PUT"}
        assert sorted(json.loads(r.body)["order"] for r in orders) == list(range(ORDERS))
        assert all(json.loads(r.body) == {"order": n, "total": n + 0.5}
                   for r in orders for n in [json.loads(r.body)["order"]])
        assert sorted(json.loads(r.body)["user"] for r in signups) == sorted(f"new-{n}" for n in range(SIGNUPS))
        assert len(hook.requests) == ORDERS + SIGNUPS
        assert all(r.header("content-type") == "application/json" for r in hook.requests)

        assert len(amplitude.requests) == IDENTIFIES
        seen = set()
        for request in amplitude.requests:
            assert request.method == "POST" and request.path.endswith("/identify")
            form = parse_qs(request.body.decode())
            assert form["api_key"] == ["AMP_KEY"]
            identification = json.loads(form["identification"][0])
            n = int(identification["user_id"].removeprefix("user-"))
            assert identification["user_properties"] == {"plan": "pro", "seats": n}
            seen.add(n)
        assert seen == set(range(IDENTIFIES))

        hook_view = _overview(service, setup["webhook"]["id"])
        assert _step(hook_view, "successful_delivery") == ORDERS + SIGNUPS
        assert _reasons(hook_view) == {"FILTERED_BY_RULES": TEST_ORDERS, "NO_MATCHING_MAPPING": IDENTIFIES}
        amp_view = _overview(service, setup["amplitude"]["id"])
        assert _step(amp_view, "successful_delivery") == IDENTIFIES
        assert _reasons(amp_view) == {"NO_MATCHING_MAPPING": ORDERS + TEST_ORDERS + SIGNUPS}
        for view in (hook_view, amp_view):
            assert _step(view, "failed_delivery") == 0
