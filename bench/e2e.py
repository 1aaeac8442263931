"""End to end: HTTP batch ingest -> queue -> router -> delivery to a local sink.

    .venv/bin/python bench/e2e.py [--events 200000] [--rate 5000] [--seconds 20]
    .venv/bin/python bench/e2e.py --no-batching     # one webhook request per event
    .venv/bin/python bench/e2e.py --split           # = --processes 2: API in one process, workers in another
    .venv/bin/python bench/e2e.py --processes 3     # API, router and delivery: a process each
    .venv/bin/python bench/e2e.py --quick           # a few thousand events (smoke test)

Three processes (four with `--split`, five with `--processes 3`, counting the workers
`serve --processes N` starts): `python -m sluiceway serve` (a temporary data directory, the
embedded SQLite default, a fixed admin token), a sink (a raw asyncio HTTP/1.1 server
that answers 200 and keeps each request's receive time and body), and this one, the
load generator. The management API creates one source, one `actions-webhook`
destination and one mapping, `type = "track"` -> `send` to the sink, with
`data = {id: $.messageId, t: $.properties.t}` and batching on (1,000 per request)
unless `--no-batching`.

Events are small track events (about 350 bytes as sent, with a context and a few
properties) posted to `/v1/batch`, `--batch` per request. `properties.t` is the
wall-clock time at send, so the sink measures ingest-to-delivery latency per event
as (receive time - t); the bodies are parsed only when the bench asks for the
figures, so the sink costs little while the server runs.

The server runs with the per-source rate limit raised to `RATE_LIMIT` (a billion
events/s): the default guard (5,000 events/s, 50,000 burst) would cap the throughput
phase at about 6,500 events/s and the bench would measure the guard, not the pipeline.

Phases:

- throughput: `--events` events as fast as the server accepts them, from
  `--connections` concurrent connections. *ingest ev/s* is events / (first send to
  last 200); *delivered ev/s* is events / (first send to the last event at the sink).
- latency: `--rate` events/s for `--seconds` (batches of `--latency-batch` on a
  fixed schedule), then p50/p90/p99/max of (sink receive - t), and *late p99*: the p99
  of the events sent in the last quarter of the phase. A pipeline that keeps up with
  the offered rate shows the same latency at the end as overall; one that falls behind
  builds a backlog, and the late events wait longest. `--rate 25000 --processes 3`
  is the issue's sustained target.

Every sent event must reach the sink (distinct messageIds are counted); the script
exits 1 otherwise. The machine is shared, so run it more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx
import orjson
import uvloop

TOKEN = "bench-e2e-admin-token-0123456789abcdef"
RATE_LIMIT = 1_000_000_000
TIMELINE_S = 5  # `--timeline`: the latency phase's p99 per this many seconds of sending
ROOT = Path(__file__).resolve().parents[1]


# --- the sink (runs in its own process: `e2e.py _sink <port>`) ----------------------


class _SinkProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and Content-Length bodies: what httpx sends."""

    received: ClassVar[list[tuple[float, bytes]]] = []  # one sink per process
    arrived: ClassVar[int] = 0  # events in `received`, repeats included

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            path = head.split(" ", 2)[1]
            self.respond(path, body)

    def respond(self, path: str, body: bytes) -> None:
        answer = b"ok"
        if path == "/sink":
            self.received.append((time.time(), body))
            # Counted as it arrives (a C-speed scan for the mapping's "id" key), so the
            # bench can poll progress without the sink parsing every body meanwhile.
            _SinkProtocol.arrived += body.count(b'"id":')
        elif path == "/count":
            answer = json.dumps({"events": _SinkProtocol.arrived}).encode()
        elif path == "/stats":
            answer = json.dumps(_sink_stats(self.received)).encode()
        elif path == "/reset":
            self.received.clear()
            _SinkProtocol.arrived = 0
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(answer)).encode() + b"\r\n\r\n" + answer
        )


def _sink_stats(received: list[tuple[float, bytes]]) -> dict[str, Any]:
    ids: set[str] = set()
    timed: list[tuple[float, float]] = []  # (sent, latency)
    events = 0
    for at, body in received:
        data = json.loads(body)
        for item in data if isinstance(data, list) else [data]:
            events += 1
            ids.add(item["id"])
            timed.append((item["t"], at - item["t"]))
    latencies = sorted(latency for _, latency in timed)
    # The events sent in the last quarter of the sending time: had the pipeline fallen
    # behind the offered rate, their latency would be the highest of the run.
    first_sent, last_sent = min((t for t, _ in timed), default=0.0), max((t for t, _ in timed), default=0.0)
    late = sorted(latency for t, latency in timed if t >= first_sent + 0.75 * (last_sent - first_sent))
    windows: dict[int, list[float]] = {}
    for t, latency in timed:
        windows.setdefault(int((t - first_sent) // TIMELINE_S), []).append(latency)
    return {
        "timeline": [(k * TIMELINE_S, len(v), _percentile(sorted(v), 0.99) * 1000) for k, v in sorted(windows.items())],
        "late_p99_ms": _percentile(late, 0.99) * 1000 if late else None,
        "requests": len(received),
        "events": events,
        "distinct": len(ids),
        "first": min((at for at, _ in received), default=None),
        "last": max((at for at, _ in received), default=None),
        "latency_ms": {name: _percentile(latencies, q) * 1000 if latencies else None
                       for name, q in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0))},
    }


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def run_sink(port: int) -> None:
    async def serve() -> None:
        server = await asyncio.get_running_loop().create_server(_SinkProtocol, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


# --- processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited: {log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up: {log.read_text()[-3000:]}")


@dataclass
class Setup:
    server: str
    sink: str
    write_key: str


def configure(server: str, sink: str, *, batching: bool) -> Setup:
    def api(method: str, path: str, body: Any) -> Any:
        response = httpx.request(method, f"{server}/api/v1{path}", json=body,
                                 headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        response.raise_for_status()
        return response.json()

    source = api("POST", "/sources", {"name": "Bench"})
    destination = api("POST", "/destinations",
                      {"name": "Sink", "type": "actions-webhook", "source_ids": [source["id"]]})
    fields: dict[str, Any] = {"url": f"{sink}/sink", "method": "POST", "enable_batching": batching,
                              "data": {"id": {"@path": "$.messageId"}, "t": {"@path": "$.properties.t"}}}
    if batching:
        fields["batch_size"] = 1000
    api("POST", f"/destinations/{destination['id']}/mappings",
        {"name": "All", "subscribe": 'type = "track"', "action": "send", "enabled": True, "mapping": fields})
    # The router and delivery pick the configuration up on their next refresh.
    time.sleep(1.5)
    return Setup(server, sink, source["write_key"])


# --- load ---------------------------------------------------------------------------


def batch_body(prefix: str, start: int, count: int) -> bytes:
    """One `/v1/batch` body; orjson, because the load generator shares the machine with
    the service: the standard library's encoder cost 4.7 µs per event, orjson 1.4."""
    now = time.time()
    return orjson.dumps({"batch": [
        {"type": "track", "event": "Order Completed", "messageId": f"{prefix}{n}", "userId": f"user{n % 1000}",
         "timestamp": "2026-11-22T10:00:00.000Z",
         "context": {"library": {"name": "analytics-python", "version": "2.3"}, "ip": "10.0.0.1"},
         "properties": {"t": now, "revenue": (n % 100) + 0.5, "currency": "USD", "order_id": f"o{n}"}}
        for n in range(start, start + count)
    ]})


async def post(client: httpx.AsyncClient, setup: Setup, body: bytes) -> None:
    while True:
        try:
            response = await client.post(f"{setup.server}/v1/batch", content=body, auth=(setup.write_key, ""),
                                         headers={"Content-Type": "application/json"})
        except httpx.TransportError:
            # An idle keep-alive connection the server closed as we reused it: send the
            # batch again, as an SDK would (messageId dedupe drops any repeat).
            await asyncio.sleep(0.05)
            continue
        if response.status_code == 200:
            return
        if response.status_code in (429, 503):  # back off as an SDK would
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
            continue
        raise RuntimeError(f"/v1/batch answered {response.status_code}: {response.text[:500]}")


async def throughput_load(setup: Setup, events: int, batch: int, connections: int) -> tuple[float, float]:
    """Send `events` as fast as accepted; (first send, last acknowledgement)."""
    starts = list(range(0, events, batch))
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=connections)) as client:
        started = time.time()

        async def lane(lane_no: int) -> None:
            for start in starts[lane_no::connections]:
                await post(client, setup, batch_body("tp-", start, min(batch, events - start)))

        await asyncio.gather(*(lane(i) for i in range(connections)))
        return started, time.time()


async def rate_load(setup: Setup, rate: float, seconds: float, batch: int) -> tuple[int, float, float]:
    """`rate` events/s on a fixed schedule for `seconds`; (events sent, first send, last ack)."""
    total = int(rate * seconds)
    interval = batch / rate
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=64)) as client:
        started = time.time()
        tasks = []
        for k, start in enumerate(range(0, total, batch)):
            delay = started + k * interval - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(client, setup, batch_body("lt-", start, min(batch, total - start)))))
        await asyncio.gather(*tasks)
        return total, started, time.time()


def sink_stats(setup: Setup) -> dict[str, Any]:
    return httpx.get(f"{setup.sink}/stats", timeout=120).json()


def wait_delivered(setup: Setup, expected: int, timeout: float) -> dict[str, Any]:
    """Poll the sink until `expected` distinct events arrived (or time out).

    Progress is polled with the sink's running count; the full statistics parse every
    body, which takes the sink seconds at a million events, and a sink busy parsing
    while the last deliveries arrive would stamp them late (it once added more than a
    second to the p99 of the last events at 25,000 events/s).
    """
    deadline = time.monotonic() + timeout
    while True:
        arrived = httpx.get(f"{setup.sink}/count", timeout=30).json()["events"]
        if arrived >= expected or time.monotonic() > deadline:
            stats = sink_stats(setup)  # repeats count in `arrived`, not in `distinct`
            if stats["distinct"] >= expected or time.monotonic() > deadline:
                return stats
        time.sleep(0.2)


# --- main ---------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="sluiceway-bench-e2e-") as tmp:
        directory = Path(tmp)
        server_port, sink_port = free_port(), free_port()
        server_log, sink_log = directory / "serve.log", directory / "sink.log"
        env = {**os.environ, "SLUICEWAY_DATA_DIR": str(directory / "data"), "SLUICEWAY_ADMIN_TOKEN": TOKEN,
               # The pipeline is measured, not the per-source guard (5,000 events/s with a
               # 50,000 burst by default), which would otherwise cap the throughput phase.
               "SLUICEWAY_RATE_LIMIT_EVENTS_PER_S": str(RATE_LIMIT), "SLUICEWAY_RATE_LIMIT_BURST": str(RATE_LIMIT)}
        with server_log.open("wb") as slog, sink_log.open("wb") as klog:
            sink = subprocess.Popen([sys.executable, __file__, "_sink", str(sink_port)], stdout=klog,
                                    stderr=subprocess.STDOUT)
            serve = [sys.executable, "-m", "sluiceway", "serve", "--host", "127.0.0.1", "--port", str(server_port)]
            server = subprocess.Popen([*serve, "--processes", str(args.processes)],
                                      env=env, cwd=ROOT, stdout=slog, stderr=subprocess.STDOUT)
            processes = [server, sink]
        try:
            server_url, sink_url = f"http://127.0.0.1:{server_port}", f"http://127.0.0.1:{sink_port}"
            wait_healthy(f"{server_url}/healthz", server, server_log)
            wait_healthy(f"{sink_url}/reset", sink, sink_log)
            setup = configure(server_url, sink_url, batching=not args.no_batching)
            return measure(setup, args)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if args.server_log:
                print(server_log.read_text()[-3000:])


def measure(setup: Setup, args: argparse.Namespace) -> int:
    rows: list[tuple[str, int, int, float, float, dict[str, Any]]] = []
    ok = True
    mode = "batching" if not args.no_batching else "one request per event"
    if args.processes > 1:
        mode += f"; serve --processes {args.processes}"
    print(f"e2e: {mode}; {os.cpu_count()} CPUs; /v1/batch of {args.batch} (throughput) "
          f"and {args.latency_batch} (latency)", flush=True)

    if args.events:
        httpx.post(f"{setup.sink}/reset")
        first, acked = uvloop.run(throughput_load(setup, args.events, args.batch, args.connections))
        stats = wait_delivered(setup, args.events, timeout=args.timeout)
        ok &= stats["distinct"] == args.events
        end = stats["last"] or acked
        rows.append(("throughput", args.events, stats["distinct"], args.events / (acked - first),
                     stats["distinct"] / (end - first), {**stats["latency_ms"], "late p99": None}))

    if args.seconds and args.rate:
        httpx.post(f"{setup.sink}/reset")
        sent, first, acked = uvloop.run(rate_load(setup, args.rate, args.seconds, args.latency_batch))
        stats = wait_delivered(setup, sent, timeout=args.timeout)
        ok &= stats["distinct"] == sent
        end = stats["last"] or acked
        if args.timeline:
            for start, count, p99 in stats["timeline"]:
                print(f"  sent at +{start:>4}s: {count:>8,} events, p99 {p99:>7,.0f} ms")
        rows.append((f"latency @{args.rate:g}/s", sent, stats["distinct"], sent / (acked - first),
                     stats["distinct"] / (end - first), {**stats["latency_ms"], "late p99": stats["late_p99_ms"]}))

    print(f"{'phase':<18} {'events':>8} {'delivered':>9} {'ingest ev/s':>12} {'delivered ev/s':>15} "
          f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'late p99':>9}")
    for phase, sent, delivered, ingest, end_to_end, lat in rows:
        print(f"{phase:<18} {sent:>8,} {delivered:>9,} {ingest:>12,.0f} {end_to_end:>15,.0f} "
              + " ".join(f"{lat[k]:>8,.0f}" if lat[k] is not None else f"{'-':>8}"
                         for k in ("p50", "p90", "p99", "max"))
              + (f" {lat['late p99']:>9,.0f}" if lat["late p99"] is not None else f" {'-':>9}"))
    print("late p99: the p99 latency of the events sent in the last quarter of the latency phase "
          "(a pipeline behind the offered rate shows it here first)")
    if not ok:
        print("NOT every sent event reached the sink", flush=True)
        return 1
    print("every sent event reached the sink")
    return 0


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "_sink":
        run_sink(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="throughput phase events (0 skips it)")
    parser.add_argument("--batch", type=int, default=500, help="events per /v1/batch request (throughput)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (throughput)")
    parser.add_argument("--rate", type=float, default=5000, help="latency phase events/s")
    parser.add_argument("--seconds", type=float, default=20, help="latency phase duration (0 skips it)")
    parser.add_argument("--latency-batch", type=int, default=100, help="events per request (latency)")
    parser.add_argument("--no-batching", action="store_true", help="one webhook request per event")
    parser.add_argument("--processes", type=int, choices=(1, 2, 3), default=1,
                        help="`serve --processes N`: 1 does everything in one process; 2 routes and delivers "
                             "in a worker process; 3 in a router process and a delivery process")
    parser.add_argument("--split", dest="processes", action="store_const", const=2, help="= --processes 2")
    parser.add_argument("--timeline", action="store_true",
                        help=f"print the latency phase's p99 per {TIMELINE_S} s of sending")
    parser.add_argument("--timeout", type=float, default=300, help="longest wait for delivery after sending")
    parser.add_argument("--quick", action="store_true", help="a tiny run: 3,000 + 2 s at 1,000/s")
    parser.add_argument("--server-log", action="store_true", help="print the server log's tail at the end")
    args = parser.parse_args()
    if args.quick:
        args.events, args.rate, args.seconds, args.timeout = 3000, 1000, 2, 120
    sys.exit(run(args))


if __name__ == "__main__":
    main()
