"""One running Sluiceway: every stage opened, started and stopped in the right order.

Start order matters for durability: the router's consumer is attached before the
tracking API accepts anything (the queue keeps messages only for interested
consumers), and the workers stop after the HTTP server, so a request in flight is
either acknowledged after a durable publish or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from sluiceway import kit, pipeline
from sluiceway.api import Ingest, RateLimit
from sluiceway.api.app import build_app
from sluiceway.api.auth import AdminToken
from sluiceway.api.management import ManagementContext
from sluiceway.api.tracking import tracking_routes
from sluiceway.delivery import DeliveryService
from sluiceway.metrics import DEFAULT_TRACE_BUDGET, BufferedRecorder, MetricsStore, prometheus_text
from sluiceway.queue import SqliteBroker, Stream
from sluiceway.store import ConfigStore, create_store_engine, data_dir, database_url

from .config_cache import ConfigCache
from .dedupe import DEFAULT_MAX_CLAIMS, DEFAULT_WINDOW_S, MessageDedupe
from .destinations import DestinationDirectory
from .router_worker import RouterWorker
from .worker_processes import WorkerProcesses, die_with_supervisor

log = logging.getLogger("sluiceway")

DEDUPE_WINDOW_ENV = "SLUICEWAY_DEDUPE_WINDOW_S"
DEDUPE_MAX_ENV = "SLUICEWAY_DEDUPE_MAX_MESSAGES"
RATE_LIMIT_ENV = "SLUICEWAY_RATE_LIMIT_EVENTS_PER_S"
RATE_BURST_ENV = "SLUICEWAY_RATE_LIMIT_BURST"
TRACE_BUDGET_ENV = "SLUICEWAY_TRACE_BUDGET"
METRICS_URL_ENV = "SLUICEWAY_METRICS_DATABASE_URL"
QUEUE_FILE = "queue.db"
STATE_FILE = "state.db"
WORKER_SYNC_INTERVAL_S = 0.25
# Collect the youngest generation every 50,000 allocations instead of 700: see `tune_gc`.
GC_THRESHOLDS = (50_000, 20, 10)


@dataclass(frozen=True)
class RuntimeConfig:
    """Where everything lives; read from the environment by `from_environment`."""

    data_dir: Path
    database_url: str
    metrics_url: str | None = None
    dedupe_window_s: float = DEFAULT_WINDOW_S
    rate_limit: RateLimit = field(default_factory=RateLimit)
    trace_budget: int | None = DEFAULT_TRACE_BUDGET
    dedupe_max_messages: int = DEFAULT_MAX_CLAIMS

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> RuntimeConfig:
        """SLUICEWAY_DATA_DIR, SLUICEWAY_DATABASE_URL, SLUICEWAY_METRICS_DATABASE_URL, SLUICEWAY_DEDUPE_WINDOW_S,
        SLUICEWAY_DEDUPE_MAX_MESSAGES (the newest messageIds a router process remembers),
        SLUICEWAY_RATE_LIMIT_EVENTS_PER_S and SLUICEWAY_RATE_LIMIT_BURST (per source), and
        SLUICEWAY_TRACE_BUDGET (traced events/s, or `none` to trace every event).

        Metrics follow the configuration database when it is PostgreSQL (one server to
        run); on the SQLite default they get their own file, so metric writes never
        queue behind configuration writes.
        """
        env = os.environ if environ is None else environ
        directory = data_dir(env)
        config_url = database_url(directory, env)
        metrics_url = env.get(METRICS_URL_ENV) or (config_url if "SLUICEWAY_DATABASE_URL" in env else None)
        window = _positive_float(env.get(DEDUPE_WINDOW_ENV), DEDUPE_WINDOW_ENV, DEFAULT_WINDOW_S)
        default_limit = RateLimit()
        rate_limit = RateLimit(
            events_per_s=_positive_float(env.get(RATE_LIMIT_ENV), RATE_LIMIT_ENV, default_limit.events_per_s, "events"),
            burst=_positive_float(env.get(RATE_BURST_ENV), RATE_BURST_ENV, default_limit.burst, "events"),
        )
        return cls(
            directory, config_url, metrics_url, window, rate_limit, _trace_budget(env.get(TRACE_BUDGET_ENV)),
            _whole_number(env.get(DEDUPE_MAX_ENV), DEDUPE_MAX_ENV, DEFAULT_MAX_CLAIMS, "messages"),
        )


def _trace_budget(text: str | None) -> int | None:
    """The trace budget: a whole number of events/s at least 1, or `none` for no limit."""
    if text and text.strip().lower() == "none":
        return None
    return _whole_number(text, TRACE_BUDGET_ENV, DEFAULT_TRACE_BUDGET, "events/s", "none")


def _whole_number(text: str | None, name: str, default: int, unit: str, *alternatives: str) -> int:
    """A setting that is a whole number >= 1; the error names the variable and the rule."""
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        rule = " or ".join([f"a whole number of {unit} >= 1", *alternatives])
        raise ValueError(f"{name}: must be {rule}; got {text!r}")
    return value


def _positive_float(text: str | None, name: str, default: float, unit: str = "seconds") -> float:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}: must be a number of {unit}, got {text!r}") from None
    if not value > 0:
        raise ValueError(f"{name}: must be greater than 0, got {text!r}")
    return value


class Runtime:
    """Every part of the service, wired; `app()` is the ASGI application to serve.

    `start(route=False, deliver=False)` runs the HTTP side only (`serve --no-workers`);
    `sluiceway worker` runs routing and delivery (or one of them, `--only`) without
    HTTP. All of them share the data directory's queue and databases.
    """

    def __init__(self, config: RuntimeConfig) -> None:
        self.config = config
        self.started = False
        self.stages: tuple[str, ...] = ("router", "delivery")  # what `start` was asked to run
        # The health of stages run by processes this one started (`serve --processes`).
        self.elsewhere: Callable[[], dict[str, str]] | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self._synced_version: int | None = None

    @classmethod
    async def open(cls, config: RuntimeConfig, *, token: AdminToken | None = None) -> Runtime:
        """Open every part; `token` replaces the one from the environment or data directory."""
        self = cls(config)
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = ConfigStore.open(config.database_url, directory=config.data_dir)
        self.store.workspaces.ensure_default()
        self.catalog = kit.catalog()
        self.broker = await SqliteBroker.open(config.data_dir / QUEUE_FILE)
        self.events: Stream = await self.broker.stream(pipeline.EVENTS_STREAM)
        self.deliveries: Stream = await self.broker.stream(pipeline.DELIVERIES_STREAM)
        self.metrics = MetricsStore.open(
            config.metrics_url, directory=config.data_dir, trace_budget=config.trace_budget
        )
        self.recorder = BufferedRecorder(self.metrics)
        self.http = httpx.AsyncClient(limits=httpx.Limits(max_connections=None))
        self.cache = ConfigCache(self.store)
        self.directory = DestinationDirectory(self.store, self.cache, self.catalog)
        self.delivery = DeliveryService(
            self.deliveries,
            resolve=self.directory.resolve,
            recorder=self.recorder,
            http=self.http,
            on_token_refresh=self.directory.store_tokens,
        )
        self._state = create_store_engine(f"sqlite:///{config.data_dir / STATE_FILE}")
        self.dedupe = MessageDedupe(
            self._state, window_s=config.dedupe_window_s, max_claims=config.dedupe_max_messages
        )
        self.router = RouterWorker(
            store=self.store,
            catalog=self.catalog,
            events=self.events,
            deliveries=self.deliveries,
            recorder=self.recorder,
            dedupe=self.dedupe,
            delivery_config=self.delivery.config,
        )
        self.ingest = Ingest(
            resolve_source=self.cache.source_for_write_key,
            stream=self.events,
            recorder=self.recorder,
            rate_limit=config.rate_limit,
        )
        self.token = token or AdminToken.load(config.data_dir)
        return self

    async def start(self, *, route: bool = True, deliver: bool = True) -> None:
        """Attach the router first (so nothing published is dropped), then run the
        stages asked for: routing, delivery, both (the default) or neither (HTTP only).

        Routing and delivery can run in separate processes (`sluiceway worker --only`):
        each process has its own GIL, so on a machine with spare cores the two stages
        stop taking turns on one.
        """
        self.stages = tuple(name for name, on in (("router", route), ("delivery", deliver)) if on)
        await self.router.attach()
        await self.cache.start()
        if route:
            await self.router.start()
        if deliver:
            await self._sync_delivery()
            await self.delivery.start()
            self._sync_task = asyncio.create_task(self._keep_delivery_in_sync(), name="sluiceway-delivery-sync")
        self.started = True

    async def stop(self) -> None:
        """Workers finish what is in flight; unacked work is redelivered after a restart."""
        self.started = False
        if self._sync_task is not None:
            self._sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sync_task
        await self.delivery.stop()
        await self.router.stop()
        await self.cache.stop()
        await asyncio.to_thread(self.recorder.close)
        await self.http.aclose()
        await self.broker.close()
        self._state.dispose()
        self.metrics.close()
        self.store.close()

    async def _sync_delivery(self) -> None:
        """One delivery worker per destination in the configuration, enabled or not.

        A disabled destination keeps a worker so work queued for it settles as
        DESTINATION_DISABLED (visible, replayable) instead of waiting unseen.
        """
        version = self.cache.snapshot.version
        if version == self._synced_version:
            return
        records = await asyncio.to_thread(self.store.destinations.list)
        await self.delivery.sync(record.id for record in records)
        self._synced_version = version

    async def _keep_delivery_in_sync(self) -> None:
        while True:
            await asyncio.sleep(WORKER_SYNC_INTERVAL_S)
            try:
                await self._sync_delivery()
            except Exception:  # a database hiccup must not stop later syncs
                log.exception("delivery worker sync failed")

    async def health(self) -> dict[str, str]:
        """The API, and each stage this process runs: `serve --no-workers` answers for its
        API alone, so a split deployment's health checks pass while its workers run
        elsewhere (each process is checked on its own)."""
        running = {"router": self.router.running, "delivery": self.delivery.running}
        state = {"api": "up", **{stage: "up" if self.started and running[stage] else "down" for stage in self.stages}}
        return {**state, **(self.elsewhere() if self.elsewhere else {})}

    def app(self) -> Any:
        """Tracking API at /v1, management API at /api/v1, the web app at /, /healthz, /metrics."""
        ctx = ManagementContext(
            store=self.store,
            catalog=self.catalog,
            http=self.http,
            metrics=self.metrics,
            dead_letters=self.delivery.dead_letters,
        )
        return build_app(
            ctx,
            self.token,
            tracking=tracking_routes(self.ingest),
            health=self.health,
            metrics_text=lambda: prometheus_text(self.metrics, self.recorder),
            ui=True,
        )


def tune_gc() -> None:
    """Make the cyclic garbage collector cheap for a process that moves events in batches.

    With CPython's default thresholds (a young collection every 700 allocations) a
    batch of 1,000 events is still alive at most collections, so its dicts are walked
    again and again and promoted to the old generation, whose full collections then
    walk the whole heap: measured with bench/stages.py, the collector took about a
    quarter of the CPU spent per event (router 68 -> 46 µs/event with it off). A young
    collection every 50,000 allocations lets a batch die before anyone looks at it,
    and freezing what exists after start-up (modules, the catalog, SQLAlchemy's
    metadata) keeps it out of every later collection. Cycles are still collected.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _keep_signals_for_shutdown() -> None:
    """Make the first SIGINT or SIGTERM end `server.serve()` and nothing more; a second
    one stops the process at once.

    uvicorn handles both while it serves, then restores the handlers it found and
    raises the signal again; with the default handlers in place that killed the process
    right there, before the workers drained and the metrics buffer was written. With
    these the `finally` of `serve_forever` runs the orderly stop, which can take up to
    delivery's drain timeout: a second Ctrl-C (or one pressed twice while serving, which
    uvicorn passes on twice) ends it without waiting. Nothing accepted is lost either
    way: what was not acknowledged is redelivered at the next start.
    """
    received: list[int] = []

    def on_signal(number: int, frame: object) -> None:
        received.append(number)
        if len(received) == 1:
            log.info("stopping on signal %s (again to stop at once)", number)
            return
        log.warning("stopping at once on signal %s; unacknowledged work is redelivered at the next start", number)
        logging.shutdown()
        os._exit(128 + number)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)


def _announce_token(token: AdminToken) -> None:
    if token.created:
        print(f"Admin token (shown once; stored in {token.source}): {token.value}", flush=True)


async def serve_forever(
    config: RuntimeConfig, *, host: str, port: int, workers: bool = True, processes: int = 1
) -> None:
    """Open, start, serve HTTP until SIGINT/SIGTERM, then stop in order.

    `processes` > 1 leaves routing and delivery to worker processes this one starts,
    keeps running and stops (`WorkerProcesses`); `workers=False` runs neither here.
    """
    _configure_logging()
    runtime = await Runtime.open(config)
    _announce_token(runtime.token)
    children = WorkerProcesses(processes)
    runtime.elsewhere = children.health
    server = uvicorn.Server(
        uvicorn.Config(runtime.app(), host=host, port=port, lifespan="off", log_level="warning", access_log=False)
    )
    here = workers and processes == 1
    await runtime.start(route=here, deliver=here)
    await children.start()
    tune_gc()
    print(f"Sluiceway is running on http://{host}:{port} (data in {config.data_dir})", flush=True)
    _keep_signals_for_shutdown()
    try:
        await server.serve()
    finally:
        await asyncio.shield(children.stop())
        await asyncio.shield(runtime.stop())


async def work_forever(config: RuntimeConfig, *, route: bool = True, deliver: bool = True) -> None:
    """Router and/or delivery workers without HTTP, until SIGINT/SIGTERM."""
    _configure_logging()
    die_with_supervisor()
    runtime = await Runtime.open(config)
    await runtime.start(route=route, deliver=deliver)
    tune_gc()
    stages = " and ".join(name for name, on in (("routing", route), ("delivery", deliver)) if on)
    print(f"Sluiceway worker is running: {stages} (data in {config.data_dir})", flush=True)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        await asyncio.shield(runtime.stop())


def _configure_logging() -> None:
    """INFO for Sluiceway; httpx's per-request lines stay off.

    Those lines carry full URLs, and some vendors take a secret in the query string
    (Google Analytics 4's `api_secret`): a secret must never reach a log line.
    Delivery outcomes are in the metrics store instead.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
