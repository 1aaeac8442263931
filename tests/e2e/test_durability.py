"""Crash and outage: kill -9 mid-stream, and a vendor down for a while; nothing accepted is lost."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest

from .conftest import Service

pytestmark = pytest.mark.slow

TOTAL = 20_000
BATCH = 500


def _batched_webhook(service: Service, vendor: MockServer) -> dict[str, Any]:
    """A webhook mapping that batches, so 20,000 events need tens of requests, not thousands."""
    source = service.api("POST", "/sources", {"name": "Server"}, status=201)
    destination = service.api(
        "POST", "/destinations",
        {"name": "Sink", "type": "actions-webhook", "source_ids": [source["id"]]}, status=201,
    )
    service.api(
        "POST", f"/destinations/{destination['id']}/mappings",
        {"name": "All tracks", "subscribe": 'type = "track"', "action": "send", "enabled": True,
         "mapping": {"url": f"{vendor.url}/sink", "method": "POST", "enable_batching": True,
                     "batch_size": 500, "data": {"n": {"@path": "$.properties.n"}}}},
        status=201,
    )
    return {"source": source, "destination": destination}


def _delivered(vendor: MockServer) -> set[int]:
    """Every `n` the vendor has seen (duplicates allowed: delivery is at least once)."""
    seen: set[int] = set()
    for request in list(vendor.requests):
        body = json.loads(request.body)
        for item in body if isinstance(body, list) else [body]:
            seen.add(item["n"])
    return seen


class Sender(threading.Thread):
    """Posts batches until told to stop; remembers exactly which events were acknowledged."""

    def __init__(self, url: str, write_key: str) -> None:
        super().__init__(daemon=True)
        self.url, self.write_key = url, write_key
        self.accepted: set[int] = set()
        self.next = 0
        self.pause = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while self.next < TOTAL:
                if self.pause.is_set():
                    time.sleep(0.05)
                    continue
                numbers = range(self.next, min(self.next + BATCH, TOTAL))
                batch = [{"type": "track", "event": "Tick", "userId": f"u{n % 97}", "properties": {"n": n}}
                         for n in numbers]
                try:
                    response = client.post(f"{self.url}/v1/batch", json={"batch": batch}, auth=(self.write_key, ""))
                except httpx.HTTPError:
                    time.sleep(0.1)  # the server is down: send the same batch again later
                    continue
                if response.status_code == 200:
                    self.accepted.update(numbers)
                    self.next = numbers.stop


def test_kill_9_while_ingesting_and_delivering_loses_no_accepted_event(service: Service, vendor: MockServer) -> None:
    setup = _batched_webhook(service, vendor)
    sender = Sender(service.url, setup["source"]["write_key"])
    sender.start()
    service.wait_for(lambda: len(sender.accepted) >= TOTAL // 3 and _delivered(vendor), timeout=120,
                     what="ingest and delivery under way")

    service.kill()  # SIGKILL: no shutdown code runs
    accepted_before_kill = len(sender.accepted)
    assert accepted_before_kill < TOTAL, "the kill must land mid-stream"
    service.start()
    sender.join(timeout=300)

    assert sender.accepted == set(range(TOTAL))
    service.wait_for(lambda: _delivered(vendor) >= sender.accepted, timeout=300,
                     what="every accepted event at the vendor after the restart")


def test_a_vendor_outage_delays_delivery_and_loses_nothing(service: Service, vendor: MockServer) -> None:
    setup = _batched_webhook(service, vendor)
    outage_until = time.monotonic() + 4.0
    refused: list[RecordedRequest] = []
    accepted: set[int] = set()

    def flaky(request: RecordedRequest) -> MockResponse:
        if time.monotonic() < outage_until:
            refused.append(request)
            return MockResponse(status=503, body="maintenance")
        accepted.update(item["n"] for item in json.loads(request.body))
        return MockResponse(status=200, body="ok")

    vendor.handler = flaky
    batch = [{"type": "track", "event": "Tick", "userId": "u", "properties": {"n": n}} for n in range(500)]
    response = httpx.post(f"{service.url}/v1/batch", json={"batch": batch}, auth=(setup["source"]["write_key"], ""))
    assert response.status_code == 200

    service.wait_for(lambda: bool(refused), what="the vendor to refuse during its outage")
    destination_id = setup["destination"]["id"]
    service.wait_for(
        lambda: any(f["reason"] == "503" for f in service.api("GET", f"/destinations/{destination_id}/delivery-overview")["failures"]),
        what="Delivery Overview to show the 503s as pending retries",
    )
    service.wait_for(lambda: accepted == set(range(500)), timeout=120, what="all 500 events after the outage")

    def counts() -> tuple[int, int]:
        steps = service.api("GET", f"/destinations/{destination_id}/delivery-overview")["steps"]
        by_step = {s["step"]: s["count"] for s in steps}
        return by_step["successful_delivery"], by_step["failed_delivery"]

    service.wait_for(lambda: counts()[0] >= 500, what="Delivery Overview to count the deliveries")
    assert counts() == (500, 0)
