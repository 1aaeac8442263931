"""The running service end to end: SDK in, vendor request out, crashes and config changes."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from segment.analytics.client import Client

from sluiceway.kit.testing import MockResponse, MockServer

from .conftest import Service

pytestmark = pytest.mark.slow


def _webhook(service: Service, vendor: MockServer, *, subscribe: str = 'type = "track"') -> dict[str, Any]:
    source = service.api("POST", "/sources", {"name": "Website"}, status=201)
    destination = service.api(
        "POST",
        "/destinations",
        {"name": "Hook", "type": "actions-webhook", "source_ids": [source["id"]]},
        status=201,
    )
    mapping = {"url": f"{vendor.url}/hook", "method": "POST", "data": {"@path": "$.properties"}}
    created = service.api(
        "POST",
        f"/destinations/{destination['id']}/mappings",
        {"name": "Tracks", "subscribe": subscribe, "action": "send", "mapping": mapping, "enabled": True},
        status=201,
    )
    return {"source": source, "destination": destination, "mapping": created}


def _batch(service: Service, write_key: str, messages: list[dict[str, Any]]) -> None:
    response = httpx.post(f"{service.url}/v1/batch", json={"batch": messages}, auth=(write_key, ""), timeout=30)
    assert response.status_code == 200, response.text


def _received_orders(vendor: MockServer) -> set[int]:
    return {request.json()["order"] for request in vendor.requests if request.path == "/hook"}


def test_events_from_the_python_sdk_reach_the_vendor_exactly(service: Service, vendor: MockServer) -> None:
    setup = _webhook(service, vendor)
    client = Client(setup["source"]["write_key"], host=service.url, sync_mode=True)

    client.track("user-1", "Order Completed", {"order": 1, "total": 19.5})
    client.identify("user-1", {"plan": "pro"})  # no mapping wants identifies
    client.flush()

    service.wait_for(lambda: len(vendor.requests) >= 1, what="the webhook request")
    (request,) = vendor.requests
    assert (request.method, request.path) == ("POST", "/hook")
    assert request.body == b'{"order":1,"total":19.5}'
    assert request.header("content-type") == "application/json"


def test_nothing_accepted_is_lost_when_the_service_is_killed(service: Service, vendor: MockServer) -> None:
    setup = _webhook(service, vendor)
    vendor.handler = lambda request: MockResponse(status=503, body="down")
    for start in range(0, 200, 50):
        _batch(
            service,
            setup["source"]["write_key"],
            [{"type": "track", "event": "Order", "userId": "u", "properties": {"order": n}} for n in range(start, start + 50)],
        )
    service.kill()

    vendor.handler = None
    service.start()

    service.wait_for(lambda: _received_orders(vendor) >= set(range(200)), timeout=90, what="all 200 orders")


def test_a_configuration_change_takes_effect_within_a_second(service: Service, vendor: MockServer) -> None:
    setup = _webhook(service, vendor, subscribe='event = "Never"')
    _batch(service, setup["source"]["write_key"], [{"type": "track", "event": "A", "userId": "u", "properties": {"order": 1}}])
    time.sleep(1.0)
    assert vendor.requests == []

    service.api("PATCH", f"/mappings/{setup['mapping']['id']}", {"subscribe": 'type = "track"'})
    time.sleep(1.0)  # the promise: a change is live in under a second
    _batch(service, setup["source"]["write_key"], [{"type": "track", "event": "B", "userId": "u", "properties": {"order": 2}}])

    service.wait_for(lambda: _received_orders(vendor) == {2}, what="the event after the change")


def test_healthz_reports_api_and_workers(service: Service) -> None:
    health = httpx.get(f"{service.url}/healthz").json()

    assert health["status"] == "ok"
    assert {"api", "router", "delivery"} <= set(health)
