"""Delivery for every destination: one worker each, added and removed as configuration changes.

    service = DeliveryService(deliveries_stream, resolve=resolve, recorder=recorder)
    await service.start(["dest_1", "dest_2"])
    await service.sync(["dest_2", "dest_3"])      # starts dest_3, stops dest_1 gracefully
    page = await service.dead_letters.list_failed("dest_2", reasons="400")
    await service.stop()

Workers share one `httpx.AsyncClient` (connection pooling) and nothing else: each has
its own consumer, request slots and circuit breaker, so a destination that is slow or
down holds back only itself. A client created here has no overall connection limit,
because per-destination concurrency already bounds it; a client passed in keeps its
own limits, which then apply across destinations.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable

import httpx

from sluiceway.metrics import Recorder
from sluiceway.queue import Stream

from .config import DeliveryConfig
from .dead_letters import DeadLetterService
from .worker import DeliveryWorker, Resolve, TokenRefresh


class DeliveryService:
    """Runs one `DeliveryWorker` per destination."""

    def __init__(
        self,
        stream: Stream,
        *,
        resolve: Resolve,
        recorder: Recorder,
        http: httpx.AsyncClient | None = None,
        config: DeliveryConfig | None = None,
        on_token_refresh: TokenRefresh | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config or DeliveryConfig()
        self.dead_letters = DeadLetterService(stream, self.config, clock=clock)
        self._stream = stream
        self._resolve = resolve
        self._recorder = recorder
        self._given_http = http
        self._http: httpx.AsyncClient | None = None
        self._on_token_refresh = on_token_refresh
        self._clock = clock
        self._workers: dict[str, DeliveryWorker] = {}
        self._wanted: set[str] = set()
        self._started = False
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._started

    @property
    def destination_ids(self) -> list[str]:
        """Destinations with a running worker."""
        return sorted(self._workers)

    def worker(self, destination_id: str) -> DeliveryWorker | None:
        return self._workers.get(destination_id)

    async def start(self, destination_ids: Iterable[str] | None = None) -> None:
        """Start a worker for each destination (those given, else those last synced)."""
        if destination_ids is not None:
            self._wanted = set(destination_ids)
        if self._http is None:
            self._http = self._given_http or httpx.AsyncClient(
                limits=httpx.Limits(max_connections=None)
            )
        self._started = True
        await self._apply()

    async def sync(self, destination_ids: Iterable[str]) -> None:
        """Deliver for exactly these destinations: start missing workers, stop the others.

        A removed destination's worker stops gracefully; its consumer and anything left
        in it stay in the queue (deleting them is the configuration's business).
        """
        self._wanted = set(destination_ids)
        if self._started:
            await self._apply()

    async def stop(self) -> None:
        """Stop every worker (finishing requests in flight) and close an owned client."""
        async with self._lock:
            self._started = False
            workers, self._workers = list(self._workers.values()), {}
            await asyncio.gather(*(worker.stop() for worker in workers))
            if self._http is not None and self._given_http is None:
                await self._http.aclose()
            self._http = None

    async def _apply(self) -> None:
        async with self._lock:
            if not self._started or self._http is None:
                return
            removed = [self._workers.pop(d) for d in sorted(set(self._workers) - self._wanted)]
            await asyncio.gather(*(worker.stop() for worker in removed))
            for destination_id in sorted(self._wanted - set(self._workers)):
                worker = DeliveryWorker(
                    self._stream,
                    destination_id,
                    resolve=self._resolve,
                    recorder=self._recorder,
                    http=self._http,
                    config=self.config,
                    on_token_refresh=self._on_token_refresh,
                    clock=self._clock,
                )
                await worker.start()
                self._workers[destination_id] = worker
