"""The router worker: events off the queue, planned deliveries back on, outcomes recorded.

It reads the `events` stream through one durable consumer, routes each event with the
routing table compiled from the current configuration (rebuilt within
`refresh_interval_s` of any change, and never older than the events it routes), publishes the planned deliveries to
`deliveries.<destination id>` and only then acks the events. A crash anywhere before
the ack means the events come back and are routed again; the delivery key of each
planned delivery lets the duplicates that causes be recognised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from sluiceway import pipeline
from sluiceway.delivery import DeliveryConfig, consumer_config
from sluiceway.kit import Destination
from sluiceway.metrics import Outcome, Recorder, Step
from sluiceway.queue import ConsumerConfig, Delivery, Stream
from sluiceway.store import ConfigStore

from .dedupe import Claim, MessageDedupe

log = logging.getLogger(__name__)

ROUTER_CONSUMER = "router"
MALFORMED_EVENT = "MALFORMED_EVENT"


class RouterWorker:
    """Routes queued events; `run_once` is one fetch-route-publish-ack round."""

    def __init__(
        self,
        *,
        store: ConfigStore,
        catalog: Mapping[str, Destination],
        events: Stream,
        deliveries: Stream,
        recorder: Recorder,
        dedupe: MessageDedupe | None = None,
        delivery_config: DeliveryConfig | None = None,
        batch: int = 1000,
        refresh_interval_s: float = 0.2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._events = events
        self._deliveries = deliveries
        self._recorder = recorder
        self._dedupe = dedupe
        self._delivery_config = delivery_config or DeliveryConfig()
        self._batch = batch
        self._refresh_interval_s = refresh_interval_s
        self._clock = clock
        self._table: pipeline.RoutingTable | None = None
        self._checked_at = 0.0
        self._checked_wall = 0.0
        self._consumer: Any = None
        self._known_consumers: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        """True while the background routing task is alive."""
        return self._task is not None and not self._task.done()

    @property
    def table(self) -> pipeline.RoutingTable | None:
        return self._table

    async def attach(self) -> None:
        """Create the router's durable consumer: from then on, published events are kept.

        The queue keeps a message only while some consumer is interested, so the
        service attaches before the tracking API accepts anything.
        """
        if self._consumer is None:
            self._consumer = await self._events.consumer(
                ROUTER_CONSUMER, ConsumerConfig(ack_wait_s=60, deliver_policy="all")
            )
        await self.refresh(force=True)

    async def start(self) -> None:
        """Attach to the events stream and route in the background until `stop`."""
        await self.attach()
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="sluiceway-router")

    async def stop(self) -> None:
        """Finish the round in progress; anything unacked is redelivered later."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        """Two stages in flight: while one batch is routed, published and acked, the
        next is fetched and its messageIds claimed (stages run in order, so claims,
        publishes and acks keep the queue's order). Nothing is acked before its
        deliveries are published, exactly as in `run_once`."""
        ahead: asyncio.Task[_Fetched] | None = None
        try:
            while not self._stopping.is_set():
                try:
                    fetched = await (ahead if ahead is not None else self._take(wait_s=0.5))
                    ahead = None
                    if fetched.messages:
                        ahead = asyncio.create_task(self._take(wait_s=0.0))
                    await self._finish(fetched)
                except asyncio.CancelledError:
                    raise
                except Exception:  # keep routing; the unacked events come back
                    log.exception("router round failed")
                    if ahead is not None:
                        await self._release_ahead(ahead)
                        ahead = None
                    await asyncio.sleep(0.5)
        finally:
            if ahead is not None:
                await self._release_ahead(ahead)

    async def _release_ahead(self, ahead: asyncio.Task[_Fetched]) -> None:
        """A batch fetched ahead but not routed goes back to the queue at once."""
        try:
            fetched = await ahead
        except Exception:
            return  # never fetched, or left for the ack wait to bring back
        if fetched.messages and self._consumer is not None:
            with contextlib.suppress(Exception):
                await self._consumer.nak(*fetched.messages)

    async def refresh(self, *, force: bool = False, newest_event_at: float | None = None) -> pipeline.RoutingTable:
        """Rebuild the routing table if the configuration version moved.

        The version is checked at most every `refresh_interval_s`, except when an event
        was queued (`newest_event_at`, wall clock) after the last check began: a mapping
        saved a moment before an event was sent must apply to it, or the event would be
        discarded as NO_MATCHING_MAPPING by a table that predates it.
        """
        now = time.monotonic()
        seen_after_events = newest_event_at is None or self._checked_wall >= newest_event_at
        if (
            self._table is not None
            and not force
            and seen_after_events
            and now - self._checked_at < self._refresh_interval_s
        ):
            return self._table
        self._checked_at = now
        self._checked_wall = time.time()
        version = await asyncio.to_thread(self._store.current_version)
        if self._table is None or force or version != self._table.version:
            snapshot = await asyncio.to_thread(self._store.snapshot)
            table = pipeline.RoutingTable.build(snapshot, self._catalog)
            await self._ensure_delivery_consumers(table)
            self._table = table
        return self._table

    async def _ensure_delivery_consumers(self, table: pipeline.RoutingTable) -> None:
        """Every destination's consumer exists before its first delivery is published.

        Otherwise a destination added a moment ago would have no interested consumer
        and the queue would discard its first deliveries.
        """
        wanted = {destination.route.id for routes in table.by_source.values() for destination in routes}
        for destination_id in sorted(wanted - self._known_consumers):
            await self._deliveries.consumer(
                pipeline.delivery_consumer_name(destination_id),
                consumer_config(destination_id, self._delivery_config),
            )
            self._known_consumers.add(destination_id)

    async def run_once(self, *, wait_s: float = 0.0) -> int:
        """Route one batch of events; returns how many queue messages were handled."""
        fetched = await self._take(wait_s=wait_s)
        await self._finish(fetched)
        return len(fetched.messages)

    async def _take(self, *, wait_s: float) -> _Fetched:
        """Fetch a batch, decode it and claim its messageIds (the first stage)."""
        if self._consumer is None:
            await self.attach()
        fetched = await self._consumer.fetch(self._batch, wait_s=wait_s)
        if not fetched:
            return _Fetched([], [], [], set())
        parsed, malformed = _parse(fetched)
        duplicates = await self._duplicates(parsed)
        return _Fetched(fetched, parsed, malformed, duplicates)

    async def _finish(self, fetched: _Fetched) -> None:
        """Route, publish, then ack (the second stage)."""
        if not fetched.messages:
            return
        parsed, malformed, duplicates = fetched.parsed, fetched.malformed, fetched.duplicates
        newest = max((delivery.first_enqueued_at for delivery, _, _ in parsed), default=None)
        table = await self.refresh(newest_event_at=newest)
        routed = pipeline.Routed()
        for delivery, event, source_id in parsed:
            if delivery.id in duplicates:
                routed.outcomes.extend(_duplicate_outcomes(table, event, source_id, delivery))
                continue
            pipeline.route(table, event, source_id, delivery.first_enqueued_at, into=routed)
        await self._publish(routed.deliveries)
        if malformed:
            await self._consumer.term(*malformed, reason=MALFORMED_EVENT)
        await self._consumer.ack(*(delivery for delivery, _, _ in parsed))
        self._recorder.record(routed.outcomes)

    async def _duplicates(self, parsed: list[tuple[Delivery, dict[str, Any], str]]) -> set[int]:
        if self._dedupe is None:
            return set()
        claims = [
            Claim(source_id, str(event.get("messageId")), delivery.id)
            for delivery, event, source_id in parsed
            if event.get("messageId")
        ]
        return await asyncio.to_thread(self._dedupe.duplicates, claims, self._clock())

    async def _publish(self, deliveries: list[pipeline.PlannedDelivery]) -> None:
        by_destination: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for planned in deliveries:
            by_destination[planned.destination_id].append(planned.to_json())
        for destination_id, messages in by_destination.items():
            await self._deliveries.publish(messages, subject=pipeline.deliveries_subject(destination_id))


@dataclass(slots=True)
class _Fetched:
    """One fetched batch: decoded events, malformed messages, and repeated sequences."""

    messages: list[Delivery]
    parsed: list[tuple[Delivery, dict[str, Any], str]]
    malformed: list[Delivery]
    duplicates: set[int]


def _parse(fetched: list[Delivery]) -> tuple[list[tuple[Delivery, dict[str, Any], str]], list[Delivery]]:
    """Decode each queued event; one that is not a JSON object is set aside as malformed."""
    parsed: list[tuple[Delivery, dict[str, Any], str]] = []
    malformed: list[Delivery] = []
    sources: dict[str, str] = {}  # subject -> source id ("" when not an event's subject)
    for delivery in fetched:
        try:
            event = orjson.loads(delivery.data)
        except orjson.JSONDecodeError:
            event = None
        subject = delivery.subject
        source_id = sources.get(subject)
        if source_id is None:
            # A batch has a subject per source, not per event: split each one once.
            prefix, _, source_id = subject.partition(".")
            source_id = sources[subject] = source_id if prefix == pipeline.EVENTS_STREAM else ""
        if type(event) is not dict or not source_id:
            malformed.append(delivery)
            continue
        parsed.append((delivery, event, source_id))
    return parsed, malformed


def _duplicate_outcomes(
    table: pipeline.RoutingTable, event: dict[str, Any], source_id: str, delivery: Delivery
) -> list[Outcome]:
    """A repeated messageId is shown, per destination, as routed then discarded."""
    kind = event.get("type")
    name = event.get("event") if kind == "track" else event.get("name")
    common = {
        "source_id": source_id,
        "message_id": str(event.get("messageId")),
        "event_type": kind if isinstance(kind, str) else None,
        "event_name": name if isinstance(name, str) else None,
    }
    outcomes = []
    for destination in table.destinations_for(source_id):
        dest_id = destination.route.id
        outcomes.append(Outcome(Step.ROUTED, delivery.first_enqueued_at, destination_id=dest_id, **common))
        outcomes.append(
            Outcome(
                Step.FILTERED_AT_DESTINATION,
                delivery.first_enqueued_at,
                destination_id=dest_id,
                reason=pipeline.DUPLICATE_MESSAGE_ID,
                detail="this messageId was already received within the dedupe window",
                **common,
            )
        )
    return outcomes
