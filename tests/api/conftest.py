"""Real sockets for the tracking API: an app under uvicorn in a thread, a real SQLite queue.

`serve_app(app)` is reusable for any ASGI app: it binds port 0 itself (no race for a
"free" port) and yields the base URL. `tracking` builds the whole ingest path over a
`SqliteBroker` in tmp_path, with a reader consumer attached before anything is sent,
because the queue keeps messages only for consumers that exist (interest retention).
`TrackingServer.queued()` reads through a *second* broker on the same file: what it
sees is what a restarted process would see, which is the durability claim under test.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from sluiceway.api import Ingest, RateLimit, create_tracking_app
from sluiceway.metrics import ListRecorder, Outcome, Step
from sluiceway.queue import ConsumerConfig, SqliteBroker, Stream
from sluiceway.store import SourceRoute

WRITE_KEY = "wk_test_0123456789"
SOURCE_ID = "src_web"
READER = "test-reader"
AUTH = (WRITE_KEY, "")
JSON = {"Content-Type": "application/json"}


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a background thread; yields `http://127.0.0.1:<port>`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def make_source(
    source_id: str = SOURCE_ID, write_key: str = WRITE_KEY, *, enabled: bool = True
) -> SourceRoute:
    return SourceRoute(
        id=source_id,
        workspace_id="ws_default",
        name=source_id,
        slug=source_id.replace("_", "-"),
        write_key=write_key,
        enabled=enabled,
        destinations=(),
    )


@dataclass
class TrackingServer:
    """A running tracking API: `url`, its sources (editable), recorder and queue file."""

    url: str
    queue_path: Path
    recorder: ListRecorder
    ingest: Ingest
    sources: dict[str, SourceRoute] = field(default_factory=dict)

    def outcomes(self, step: Step | None = None) -> list[Outcome]:
        return [o for o in self.recorder.outcomes if step is None or o.step == step]

    def disable(self, write_key: str) -> None:
        self.sources[write_key] = replace(self.sources[write_key], enabled=False)

    def queued(self, *, wait_s: float = 0.3) -> list[tuple[str, dict[str, Any]]]:
        """(subject, event) for everything published since the last call, in order."""
        return asyncio.run(read_queue(self.queue_path, wait_s=wait_s))

    def queued_events(self, **options: Any) -> list[dict[str, Any]]:
        return [event for _, event in self.queued(**options)]


async def read_queue(path: Path, *, wait_s: float) -> list[tuple[str, dict[str, Any]]]:
    """Drain the reader consumer through a fresh broker on `path`, acking as it goes."""
    found: list[tuple[str, dict[str, Any]]] = []
    async with await SqliteBroker.open(path) as broker:
        stream = await broker.stream("events")
        reader = await stream.consumer(READER, ConsumerConfig(deliver_policy="all"))
        while batch := await reader.fetch(500, wait_s=wait_s):
            found.extend((delivery.subject, delivery.json()) for delivery in batch)
            await reader.ack(*batch)
            wait_s = 0.05
    return found


async def open_queue(path: Path) -> tuple[SqliteBroker, Stream]:
    """A broker and its `events` stream, with the test reader attached (so nothing is dropped)."""
    broker = await SqliteBroker.open(path)
    stream = await broker.stream("events")
    await stream.consumer(READER, ConsumerConfig(deliver_policy="all"))
    return broker, stream


@contextmanager
def running_tracking(
    tmp_path: Path,
    *,
    rate_limit: RateLimit | None = None,
    clock: Callable[[], float] = time.time,
    stream: Stream | None = None,
) -> Iterator[TrackingServer]:
    """The tracking API over a real SqliteBroker (or `stream`), served on a real socket."""
    queue_path = tmp_path / "queue.db"
    broker, real_stream = asyncio.run(open_queue(queue_path))
    recorder = ListRecorder()
    sources = {WRITE_KEY: make_source()}
    ingest = Ingest(
        resolve_source=lambda key: sources.get(key),
        stream=stream or real_stream,
        recorder=recorder,
        rate_limit=rate_limit,
        clock=clock,
    )
    try:
        with serve_app(create_tracking_app(ingest)) as url:
            yield TrackingServer(url, queue_path, recorder, ingest, sources)
    finally:
        asyncio.run(broker.close())


@pytest.fixture
def tracking(tmp_path: Path) -> Iterator[TrackingServer]:
    with running_tracking(tmp_path) as server:
        yield server


def post(server: TrackingServer, path: str, body: Any = None, **options: Any) -> httpx.Response:
    """POST `body` as JSON (or `content=` raw bytes) to the running server."""
    options.setdefault("timeout", 10)
    if body is not None and "content" not in options:
        options["json"] = body
    return httpx.post(f"{server.url}{path}", **options)


def post_raw(server: TrackingServer, path: str, content: bytes, **options: Any) -> httpx.Response:
    """POST raw bytes with the test write key (Basic auth) and a JSON content type."""
    options.setdefault("headers", JSON)
    return httpx.post(f"{server.url}{path}", content=content, auth=AUTH, timeout=10, **options)
