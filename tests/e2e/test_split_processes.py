"""The service split over processes: `serve --no-workers`, `worker --only router` and
`worker --only delivery`, sharing one data directory.

Each worker runs its own stage and nothing else: with only the router running,
events are routed and planned but none reaches the vendor; the delivery worker,
started afterwards, delivers every one of them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from sluiceway.kit.testing import MockServer

from .conftest import Service
from .test_durability import _batched_webhook, _delivered

EVENTS = 1_200


@contextmanager
def _worker(service: Service, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """`sluiceway worker *args` on the service's data directory, stopped on exit."""
    with service.log.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sluiceway", "worker", *args],
            env=service.environment(), stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _step(service: Service, destination_id: str, step: str) -> int:
    view = service.api("GET", f"/destinations/{destination_id}/delivery-overview")
    return next(s["count"] for s in view["steps"] if s["step"] == step)


def test_router_and_delivery_workers_each_run_only_their_stage(tmp_path, vendor: MockServer) -> None:
    service = Service(tmp_path / "data")
    service.start("--no-workers")
    try:
        # This process runs no stage, so it answers for its API alone (not "degraded").
        health = httpx.get(f"{service.url}/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok", "api": "up"})
        setup = _batched_webhook(service, vendor)
        destination_id = setup["destination"]["id"]
        batch = [{"type": "track", "event": "Tick", "userId": "u1", "properties": {"n": n}} for n in range(EVENTS)]
        response = httpx.post(f"{service.url}/v1/batch", json={"batch": batch},
                              auth=(setup["source"]["write_key"], ""), timeout=30)
        assert response.status_code == 200, response.text

        with _worker(service, "--only", "router") as router:
            service.wait_for(lambda: _step(service, destination_id, "mapping_selector") == EVENTS, timeout=60,
                             what="every event routed and planned by the router-only worker")
            assert router.poll() is None
            assert vendor.requests == [], "a router-only worker delivered"
            assert _step(service, destination_id, "successful_delivery") == 0

            with _worker(service, "--only", "delivery") as delivery:
                service.wait_for(lambda: _delivered(vendor) == set(range(EVENTS)), timeout=60,
                                 what="every event at the vendor once the delivery worker runs")
                service.wait_for(lambda: _step(service, destination_id, "successful_delivery") == EVENTS,
                                 timeout=30, what="Delivery Overview counting the deliveries")
                assert delivery.poll() is None
        assert "running: routing (" in service.log.read_text()
        assert "running: delivery (" in service.log.read_text()
    finally:
        service.stop()
