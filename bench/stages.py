"""CPU per event of each stage of the running service, measured one stage at a time.

    .venv/bin/python bench/stages.py [--events 20000] [--runs 3] [--profile router|ingest|delivery|metrics]
                                     [--trace-budget N|none]

In one process, with a real SQLite queue, configuration store, dedupe table and metrics
store in a temporary directory, `--events` small track events (the same shape as
`bench/e2e.py`'s) go through each stage separately, and `time.process_time()` (CPU
of every thread of this process) is taken around each:

- ingest: `/v1/batch` bodies of 100 events through the tracking app (httpx.ASGITransport)
  into the events stream;
- router: `RouterWorker.run_once` until the events stream is drained (one webhook
  destination, one `type = "track"` mapping, batching on, 1,000 per request);
- delivery: one `DeliveryWorker` draining the deliveries stream into a raw asyncio
  HTTP sink in this process (the sink's few requests are counted too);
- metrics: `BufferedRecorder.flush` of every outcome the three stages recorded, in one
  write: `--events` events within a second, so over the default trace budget (1,000
  events/s) the trace keeps its sample; `--trace-budget none` traces every event.

The stages record into a list while they run, so the metrics writer's cost is only in
the last line. The machine is shared and `process_time` still counts this process's
share of contention (cache misses, ...), so run it more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent))

from e2e import batch_body  # the same events as the end-to-end bench

from sluiceway import kit, pipeline
from sluiceway.api import Ingest
from sluiceway.api.tracking import create_tracking_app
from sluiceway.delivery import DeliveryConfig, DeliveryWorker
from sluiceway.metrics import BufferedRecorder, ListRecorder, MetricsStore
from sluiceway.queue import SqliteBroker
from sluiceway.service import ConfigCache, MessageDedupe, RouterWorker
from sluiceway.service.destinations import DestinationDirectory
from sluiceway.service.runtime import tune_gc
from sluiceway.store import ConfigStore, SecretBox, create_store_engine

BATCH = 100


class _Sink(asyncio.Protocol):
    """Answers 200 to every HTTP/1.1 request and counts the JSON items it received."""

    items = 0

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].decode("latin-1").lower()
            length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0]) if "content-length:" in head else 0
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            data_ = json.loads(body)
            _Sink.items += len(data_) if isinstance(data_, list) else 1
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


class Rig:
    """Every stage wired as `Runtime.open` wires them, recording into a list."""

    def __init__(self, directory: Path, broker: SqliteBroker, sink_url: str,
                 metrics_options: dict[str, Any]) -> None:
        self.directory = directory
        self.broker = broker
        self.store = ConfigStore.open(directory=directory / "data", box=SecretBox([Fernet.generate_key()]))
        workspace = self.store.workspaces.ensure_default()
        self.source = self.store.sources.create(workspace.id, "Bench")
        self.destination = self.store.destinations.create(
            workspace.id, "Sink", "actions-webhook", source_ids=[self.source.id]
        )
        fields = {"url": f"{sink_url}/sink", "method": "POST", "enable_batching": True, "batch_size": 1000,
                  "data": {"id": {"@path": "$.messageId"}, "t": {"@path": "$.properties.t"}}}
        self.store.mappings.create(self.destination.id, "All", 'type = "track"', "send", fields, enabled=True)
        self.recorder = ListRecorder()
        self.metrics_options = metrics_options  # MetricsStore's, e.g. trace_budget
        self.cache = ConfigCache(self.store)
        self.catalog = kit.catalog()

    async def ingest(self, bodies: list[bytes]) -> None:
        stream = await self.broker.stream(pipeline.EVENTS_STREAM)
        ingest = Ingest(resolve_source=self.cache.source_for_write_key, stream=stream, recorder=self.recorder)
        transport = httpx.ASGITransport(app=create_tracking_app(ingest))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for body in bodies:
                response = await client.post("/v1/batch", content=body, auth=(self.source.write_key, ""),
                                             headers={"Content-Type": "application/json"})
                response.raise_for_status()

    async def router(self) -> None:
        worker = RouterWorker(
            store=self.store, catalog=self.catalog,
            events=await self.broker.stream(pipeline.EVENTS_STREAM),
            deliveries=await self.broker.stream(pipeline.DELIVERIES_STREAM),
            recorder=self.recorder,
            dedupe=MessageDedupe(create_store_engine(f"sqlite:///{self.directory / 'state.db'}")),
        )
        await worker.attach()
        while await worker.run_once():
            pass

    async def delivery(self, events: int) -> None:
        async with httpx.AsyncClient() as http:
            worker = DeliveryWorker(
                await self.broker.stream(pipeline.DELIVERIES_STREAM), self.destination.id,
                resolve=DestinationDirectory(self.store, self.cache, self.catalog).resolve,
                recorder=self.recorder, http=http, config=DeliveryConfig(linger_s=0.05),
            )
            await worker.start()
            while _Sink.items < events:
                await asyncio.sleep(0.01)
            await worker.stop()

    def metrics(self) -> None:
        (self.directory / "metrics").mkdir()
        store = MetricsStore.open(None, directory=self.directory / "metrics", **self.metrics_options)
        recorder = BufferedRecorder(store, flush_interval=3600, flush_size=10**7, max_pending=10**7)
        recorder.record(self.recorder.outcomes)
        recorder.flush()
        recorder.close()
        store.close()


async def measure(name: str, events: int, work: Callable[[], Awaitable[None] | None],
                  profile: str | None) -> float:
    """CPU seconds of `work` (all threads), printed per event."""
    profiler = cProfile.Profile() if profile == name else None
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    result = work()
    if result is not None:
        await result
    if profiler is not None:
        profiler.disable()
    used = time.process_time() - start
    print(f"{name:<9} {used * 1e6 / events:>8.1f} µs CPU/event  ({used:.2f} s)", flush=True)
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
    return used


STAGES = ("ingest", "router", "delivery", "metrics")


async def run(events: int, profile: str | None, metrics_options: dict[str, Any]) -> dict[str, float]:
    """One pass of every stage in a fresh directory; CPU seconds per stage."""
    _Sink.items = 0
    with tempfile.TemporaryDirectory(prefix="sluiceway-bench-stages-") as tmp:
        server = await asyncio.get_running_loop().create_server(_Sink, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        broker = await SqliteBroker.open(Path(tmp) / "queue.db")
        try:
            rig = Rig(Path(tmp), broker, f"http://127.0.0.1:{port}", metrics_options)
            await rig.router()  # attaches the router's consumer: the queue keeps events for it
            bodies = [batch_body("m", start, min(BATCH, events - start)) for start in range(0, events, BATCH)]
            used = {
                "ingest": await measure("ingest", events, lambda: rig.ingest(bodies), profile),
                "router": await measure("router", events, rig.router, profile),
                "delivery": await measure("delivery", events, lambda: rig.delivery(events), profile),
            }
            outcomes = len(rig.recorder.outcomes)
            used["metrics"] = await measure("metrics", events, rig.metrics, profile)
            print(f"{'total':<9} {sum(used.values()) * 1e6 / events:>8.1f} µs CPU/event"
                  f"  ({outcomes:,} outcomes recorded)", flush=True)
            return used
        finally:
            await broker.close()
            server.close()


async def main(events: int, profile: str | None, default_gc: bool, runs: int,
               metrics_options: dict[str, Any]) -> None:
    if not default_gc:
        tune_gc()  # as `sluiceway serve` and `sluiceway worker` do once started
    passes = []
    for _ in range(runs):
        passes.append(await run(events, profile, metrics_options))
    if runs > 1:
        # The machine is shared: the least CPU a stage took is the least disturbed figure.
        best = {stage: min(used[stage] for used in passes) * 1e6 / events for stage in STAGES}
        print("best of", runs, "  ".join(f"{stage} {best[stage]:.1f}" for stage in STAGES),
              f" total {sum(best.values()):.1f} µs CPU/event")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--profile", choices=("ingest", "router", "delivery", "metrics"),
                        help="print a cProfile of this stage (its CPU figure then includes the profiler)")
    parser.add_argument("--runs", type=int, default=1, help="passes; with more than one, the best per stage")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep CPython's collector thresholds instead of the service's (`tune_gc`)")
    parser.add_argument("--trace-budget", help="the metrics store's trace budget in events/s, or none (trace all)")
    args = parser.parse_args()
    options: dict[str, Any] = {}
    if args.trace_budget is not None:
        options["trace_budget"] = None if args.trace_budget == "none" else int(args.trace_budget)
    asyncio.run(main(args.events, args.profile, args.default_gc, args.runs, options))
