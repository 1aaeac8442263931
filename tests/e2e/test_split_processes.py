"""The service split over processes: `serve --no-workers`, `worker --only router` and
`worker --only delivery`, sharing one data directory; and `serve --processes N`,
which starts such workers itself, keeps them running and takes them down with it.

Each worker runs its own stage and nothing else: with only the router running,
events are routed and planned but none reaches the vendor; the delivery worker,
started afterwards, delivers every one of them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from sluiceway.kit.testing import MockResponse, MockServer

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


def _children(pid: int) -> dict[int, str]:
    """The live child processes of `pid`, by pid, with their command lines (from /proc)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = command
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _send(service: Service, write_key: str, numbers: range) -> None:
    batch = [{"type": "track", "event": "Tick", "userId": "u1", "properties": {"n": n}} for n in numbers]
    response = httpx.post(f"{service.url}/v1/batch", json={"batch": batch}, auth=(write_key, ""), timeout=30)
    assert response.status_code == 200, response.text


def test_serve_processes_3_runs_a_worker_per_stage_restarts_it_and_takes_it_down(
    tmp_path, vendor: MockServer
) -> None:
    service = Service(tmp_path / "data")
    service.start("--processes", "3")
    try:
        assert service.process is not None
        server = service.process.pid
        workers = _children(server)
        assert sorted(command.split("sluiceway ", 1)[1].strip() for command in workers.values()) == [
            "worker --only delivery", "worker --only router"
        ]
        service.wait_for(lambda: httpx.get(f"{service.url}/healthz").json()
                         == {"status": "ok", "api": "up", "router": "up", "delivery": "up"}, what="workers up")

        setup = _batched_webhook(service, vendor)
        write_key = setup["source"]["write_key"]
        _send(service, write_key, range(0, 600))
        service.wait_for(lambda: _delivered(vendor) == set(range(600)), what="delivery through the worker processes")

        router = next(pid for pid, command in workers.items() if "--only router" in command)
        os.kill(router, signal.SIGKILL)
        service.wait_for(lambda: any("--only router" in c for p, c in _children(server).items() if p != router),
                         what="the router process started again")
        _send(service, write_key, range(600, 1200))
        service.wait_for(lambda: _delivered(vendor) == set(range(1200)), what="delivery after the restart")

        left = list(_children(server))
        service.kill()  # SIGKILL: the server runs no shutdown code, yet its workers go too
        service.wait_for(lambda: not any(_alive(pid) for pid in left), what="the workers exiting with the server")
    finally:
        service.stop()


def test_serve_stops_its_worker_processes_on_sigterm(tmp_path) -> None:
    service = Service(tmp_path / "data")
    service.start("--processes", "2")
    assert service.process is not None
    workers = _children(service.process.pid)
    assert [command.split("sluiceway ", 1)[1].strip() for command in workers.values()] == ["worker"]
    service.stop()  # SIGTERM, then waits for the server to exit
    assert service.process.returncode == 0
    assert not any(_alive(pid) for pid in workers)


def test_a_second_sigterm_stops_serve_without_waiting_for_the_drain(tmp_path) -> None:
    """The first signal starts the orderly stop, which waits for requests in flight; a
    second one ends the process at once (exit status 128 + 15), as a second Ctrl-C would."""
    with MockServer(lambda request: MockResponse(delay=25)) as slow_vendor:
        service = Service(tmp_path / "data")
        service.start()
        try:
            setup = _batched_webhook(service, slow_vendor)
            _send(service, setup["source"]["write_key"], range(3))
            service.wait_for(lambda: len(slow_vendor.requests) == 1, what="a delivery in flight")
            assert service.process is not None
            service.process.send_signal(signal.SIGTERM)
            service.wait_for(lambda: "again to stop at once" in service.log.read_text(), what="the orderly stop")
            service.process.send_signal(signal.SIGTERM)
            # Well inside the vendor's 25 s: the orderly stop would still be draining.
            assert service.process.wait(timeout=15) == 128 + signal.SIGTERM
        finally:
            service.stop()
