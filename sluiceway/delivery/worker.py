"""The worker of one destination: fetch its planned deliveries, send them, settle them.

    worker = DeliveryWorker(deliveries_stream, "dest_123", resolve=resolve,
                            recorder=recorder, http=client)
    await worker.start()
    ...
    await worker.stop()        # stop fetching, finish requests in flight

One loop fetches from the destination's durable consumer and hands each message (or
each full or lingered batch) to a task, at most `concurrency` at a time. Settings are
resolved on every fetch, so a rotated key applies to the next attempt. Everything the
worker holds has its ack wait extended by a heartbeat; if the process dies, the
heartbeat stops and the queue hands the messages to another worker (at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from sluiceway import pipeline
from sluiceway.kit import AuthTokens, Destination
from sluiceway.metrics import Recorder
from sluiceway.queue import Consumer, ConsumerConfig, Delivery, Stream

from ._attempt import Target, send_batch, send_one, uses_batch
from ._message import Message, decode
from ._sample import secret_values
from ._settle import Settler
from .batching import Batcher
from .breaker import CircuitBreaker
from .config import DeliveryConfig, consumer_config
from .reasons import DESTINATION_DISABLED

log = logging.getLogger(__name__)

Resolved = tuple[Destination, Mapping[str, Any]]
Resolve = Callable[[str], "Resolved | Awaitable[Resolved | None] | None"]
TokenRefresh = Callable[[str, AuthTokens], Any]


class DeliveryWorker:
    """Delivers one destination's planned deliveries until stopped."""

    def __init__(
        self,
        stream: Stream,
        destination_id: str,
        *,
        resolve: Resolve,
        recorder: Recorder,
        http: httpx.AsyncClient,
        config: DeliveryConfig | None = None,
        on_token_refresh: TokenRefresh | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.destination_id = destination_id
        self.config = config or DeliveryConfig()
        self.breaker = CircuitBreaker(self.config.breaker_threshold, self.config.breaker_cooldown_s)
        self._stream = stream
        self._resolve = resolve
        self._recorder = recorder
        self._http = http
        self._on_token_refresh = (
            functools.partial(on_token_refresh, destination_id) if on_token_refresh else None
        )
        self._clock = clock
        self._batcher: Batcher[Message] = Batcher(self.config.linger_s)
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._held: dict[int, Delivery] = {}
        self._in_flight: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._target: Target | None = None
        self._consumer: Consumer | None = None
        self._settler: Settler | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not self._stopping.is_set()

    async def start(self) -> None:
        if self._tasks:
            return
        name = pipeline.delivery_consumer_name(self.destination_id)
        consumer = await self._stream.consumer(
            name, consumer_config(self.destination_id, self.config)
        )
        self._consumer = consumer
        self._settler = Settler(
            self.destination_id,
            consumer,
            self._recorder,
            self.config.retry,
            self.breaker,
            clock=self._clock,
        )
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self._run(), name=f"delivery-{self.destination_id}"),
            asyncio.create_task(
                self._heartbeat(), name=f"delivery-heartbeat-{self.destination_id}"
            ),
        ]

    async def stop(self, *, drain_timeout_s: float | None = None) -> None:
        """Stop fetching, let requests in flight finish (up to the drain timeout), return.

        Requests still running after the timeout are cancelled without settling: their
        messages stay unacked and the queue delivers them again after the ack wait.
        """
        if not self._tasks:
            return
        loop_task, heartbeat = self._tasks
        self._stopping.set()
        self._wake.set()
        timeout = self.config.drain_timeout_s if drain_timeout_s is None else drain_timeout_s
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # The loop may be waiting for a request slot; past the deadline it is cut short.
        await asyncio.wait({loop_task}, timeout=timeout)
        late = {loop_task} if not loop_task.done() else set()
        if self._in_flight:
            _, unfinished = await asyncio.wait(
                set(self._in_flight), timeout=max(0.0, deadline - loop.time())
            )
            late |= unfinished
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        self._tasks = []
        self._held.clear()

    # ---- the loop ---------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep delivering; what was not settled comes back
                log.exception("delivery round failed for destination %s", self.destination_id)
                await self._pause(self.config.poll_s)
        await self._release([message.delivery for message in self._batcher.drain()])

    async def _round(self) -> None:
        self._wake.clear()
        due_in = self._batcher.next_due_in()
        if self.breaker.ready() and len(self._held) < self.config.max_held:
            await self._fetch(
                self.config.poll_s if due_in is None else min(due_in, self.config.poll_s)
            )
        else:
            wait = self.breaker.retry_in() or self.config.poll_s
            await self._pause(wait if due_in is None else min(wait, due_in))
        for batch in self._batcher.due():
            await self._dispatch(batch, batched=True)

    async def _fetch(self, wait_s: float) -> None:
        assert self._consumer is not None and self._settler is not None
        room = min(self.config.fetch_batch, self.config.max_held - len(self._held))
        fetched = await self._consumer.fetch(room, wait_s=wait_s)
        if not fetched:
            return
        if self._stopping.is_set():
            await self._consumer.nak(*fetched)
            return
        self._held.update((delivery.id, delivery) for delivery in fetched)
        try:
            target = await self._current_target()
        except Exception:
            log.exception("resolving destination %s failed", self.destination_id)
            await self._release(fetched, delay_s=self.config.poll_s)
            return
        messages: list[Message] = []
        malformed: list[Delivery] = []
        for delivery in fetched:
            message = decode(delivery)
            if message is None:
                malformed.append(delivery)
            else:
                messages.append(message)
        self._forget(malformed)
        await self._settler.malformed(malformed)
        if target is None:
            self._forget(m.delivery for m in messages)
            await self._settler.fail(
                messages, DESTINATION_DISABLED, "the destination is disabled or deleted"
            )
            return
        for message in messages:
            # Awaited only when something is ready: a coroutine per message, for the
            # few that start a request, cost about 1% of delivery's CPU.
            ready = self._accept(target, message)
            if ready is not None:
                await self._dispatch(ready[0], batched=ready[1])

    def _accept(self, target: Target, message: Message) -> tuple[list[Message], bool] | None:
        """Place a message: alone (sent at once) or in its batch (sent once full or lingered).

        Returns what to dispatch now and whether it is a batch, or None while the
        message's batch is still forming.
        """
        planned = message.planned
        action = target.destination.actions.get(planned.action)
        if action is None or not uses_batch(action, planned.payload):
            return [message], False
        key = (planned.mapping_id, planned.action, action.batch_key(planned.payload))
        full = self._batcher.add(key, message, action.batch_size(planned.payload))
        return None if full is None else (full, True)

    async def _dispatch(self, messages: list[Message], *, batched: bool) -> None:
        """Start sending once a request slot is free, unless the breaker says no."""
        assert self._settler is not None
        target = self._target
        if target is None:
            self._forget(m.delivery for m in messages)
            await self._settler.fail(
                messages, DESTINATION_DISABLED, "the destination is disabled or deleted"
            )
            return
        await self._slots.acquire()
        if not self.breaker.admit():
            self._slots.release()
            self._forget(m.delivery for m in messages)
            await self._settler.defer(messages, max(self.breaker.retry_in(), 0.01))
            return
        task = asyncio.create_task(self._send(target, messages, batched))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _send(self, target: Target, messages: list[Message], batched: bool) -> None:
        assert self._settler is not None
        forgotten = False
        try:
            options = {"http": self._http, "on_token_refresh": self._on_token_refresh}
            if batched:
                results = await send_batch(target, messages, **options)
            else:
                results = [await send_one(target, messages[0], **options)]
            # Forget first: a heartbeat after the nak would undo its delay.
            self._forget(m.delivery for m in messages)
            forgotten = True
            await self._settler.settle(messages, results)
        except Exception:
            log.exception("settling deliveries for destination %s failed", self.destination_id)
        finally:
            if not forgotten:
                self._forget(m.delivery for m in messages)
            self._slots.release()
            self._wake.set()

    # ---- helpers ----------------------------------------------------------------------

    async def _current_target(self) -> Target | None:
        resolved = self._resolve(self.destination_id)
        if inspect.isawaitable(resolved):
            resolved = await resolved
        if resolved is None:
            self._target = None
            return None
        destination, settings = resolved
        secrets = secret_values(settings, destination.secret_settings)
        self._target = Target(self.destination_id, destination, settings, secrets)
        return self._target

    async def _heartbeat(self) -> None:
        """Extend the ack wait of everything held, so only a dead worker's work comes back."""
        assert self._consumer is not None
        # The router may (re)create the consumer with the queue's default ack wait.
        interval = min(self.config.ack_wait_s, ConsumerConfig().ack_wait_s) / 3
        while True:
            await asyncio.sleep(interval)
            held = list(self._held.values())
            if not held:
                continue
            try:
                await self._consumer.in_progress(*held)
            except Exception:
                log.exception("extending deliveries of destination %s failed", self.destination_id)

    async def _release(self, deliveries: list[Delivery], *, delay_s: float = 0.0) -> None:
        """Hand unsent deliveries back to the queue for any worker to take."""
        if deliveries and self._consumer is not None:
            self._forget(deliveries)
            await self._consumer.nak(*deliveries, delay_s=delay_s)

    def _forget(self, deliveries: Any) -> None:
        for delivery in deliveries:
            self._held.pop(delivery.id, None)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(seconds, 0.001))
