"""Failed deliveries: list them by destination, reason and time, and replay them.

A delivery that failed for good (a permanent error, or retries past the window) is a
dead letter of its destination's consumer, payload included. Once the cause is fixed
(a bad API key, a mapping, an outage longer than the window) the user replays them:
each chosen dead letter's PlannedDelivery is published again to
`deliveries.<destination id>`, with a fresh retry window, and the dead letter is
discarded.

Replay is serialised per destination, and each dead letter is published before it is
discarded, so a dead letter is replayed once however many replays overlap in this
process; a crash between the two steps can publish it a second time (at least once),
and its unchanged `delivery_key` lets the duplicate be recognised.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import orjson

from sluiceway import pipeline
from sluiceway.pipeline import PlannedDelivery
from sluiceway.queue import Consumer, DeadLetter, Stream

from ._message import REPLAYED_AT, is_planned
from .config import DeliveryConfig, consumer_config

log = logging.getLogger(__name__)

SCAN_PAGE = 500


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    """One dead letter: why and when it failed, and the planned delivery it holds.

    `planned` is None for a queue message that was not a planned delivery at all
    (reason MALFORMED_DELIVERY); such a dead letter cannot be replayed.
    """

    id: int
    destination_id: str
    reason: str
    attempts: int
    failed_at: float
    enqueued_at: float
    planned: PlannedDelivery | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "destination_id": self.destination_id,
            "reason": self.reason,
            "attempts": self.attempts,
            "failed_at": self.failed_at,
            "enqueued_at": self.enqueued_at,
            "delivery": self.planned.to_json() if self.planned else None,
        }


@dataclass(frozen=True, slots=True)
class FailedPage:
    """A page of failed deliveries; pass `next_after_id` back for the next one (None: done)."""

    items: list[FailedDelivery]
    next_after_id: int | None


@dataclass(frozen=True, slots=True)
class ReplayResult:
    replayed: int
    skipped: int  # matched, but not a planned delivery: left in place


@dataclass(frozen=True, slots=True)
class _Filter:
    reasons: frozenset[str] | None
    since: float | None
    until: float | None
    ids: frozenset[int] | None = None

    def matches(self, letter: DeadLetter) -> bool:
        if self.ids is not None and letter.id not in self.ids:
            return False
        if self.reasons is not None and letter.reason not in self.reasons:
            return False
        if self.since is not None and letter.dead_at < self.since:
            return False
        return self.until is None or letter.dead_at < self.until


class DeadLetterService:
    """Lists and replays failed deliveries of any destination."""

    def __init__(
        self,
        stream: Stream,
        config: DeliveryConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._stream = stream
        self._config = config or DeliveryConfig()
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    async def list_failed(
        self,
        destination_id: str,
        *,
        reasons: Collection[str] | str | None = None,
        since: float | None = None,
        until: float | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> FailedPage:
        """Failed deliveries in the order they failed; `since`/`until` bound the failure time.

        `reasons` is one reason or several (`"400"`, `"PAYLOAD_VALIDATION_FAILED"`).
        """
        consumer = await self._consumer(destination_id)
        if consumer is None:
            return FailedPage([], None)
        letters, next_after = await self._scan(
            consumer, _filter(reasons, since, until), after_id, limit
        )
        return FailedPage([_failed(destination_id, letter) for letter in letters], next_after)

    async def replay(
        self,
        destination_id: str,
        *,
        reasons: Collection[str] | str | None = None,
        since: float | None = None,
        until: float | None = None,
        ids: Collection[int] | None = None,
    ) -> ReplayResult:
        """Publish the matching dead letters again with a fresh retry window, then discard them.

        `ids` (FailedDelivery ids) narrows the choice to those dead letters.
        """
        consumer = await self._consumer(destination_id)
        if consumer is None:
            return ReplayResult(0, 0)
        wanted = _filter(reasons, since, until, ids)
        subject = pipeline.deliveries_subject(destination_id)
        replayed = skipped = 0
        async with self._locks.setdefault(destination_id, asyncio.Lock()):
            after: int | None = 0
            while after is not None:
                letters, after = await self._scan(consumer, wanted, after, SCAN_PAGE)
                messages, ids = [], []
                for letter in letters:
                    data = _decoded(letter)
                    if data is None:
                        skipped += 1
                        continue
                    messages.append({**data, REPLAYED_AT: self._clock()})
                    ids.append(letter.id)
                if not ids:
                    continue
                await self._stream.publish(messages, subject=subject)
                removed = await consumer.discard_dead_letters(*ids)
                if removed != len(ids):
                    log.warning(
                        "replay of %s: %d dead letters were already gone",
                        destination_id,
                        len(ids) - removed,
                    )
                replayed += len(ids)
        return ReplayResult(replayed, skipped)

    async def discard(self, destination_id: str, ids: Collection[int]) -> int:
        """Delete dead letters without replaying them (a user dismissed them)."""
        consumer = await self._consumer(destination_id)
        return await consumer.discard_dead_letters(*ids) if consumer is not None and ids else 0

    async def _consumer(self, destination_id: str) -> Consumer | None:
        """The destination's consumer, if it exists; never creates one for a deleted destination."""
        name = pipeline.delivery_consumer_name(destination_id)
        if name not in (await self._stream.info()).consumers:
            return None
        return await self._stream.consumer(name, consumer_config(destination_id, self._config))

    async def _scan(
        self, consumer: Consumer, wanted: _Filter, after_id: int, limit: int
    ) -> tuple[list[DeadLetter], int | None]:
        """Up to `limit` matching dead letters after `after_id`, and where to continue."""
        found: list[DeadLetter] = []
        while True:
            page = await consumer.dead_letters(after_id=after_id, limit=SCAN_PAGE)
            for letter in page:
                after_id = letter.id
                if wanted.matches(letter):
                    found.append(letter)
                    if len(found) == limit:
                        return found, after_id
            if len(page) < SCAN_PAGE:
                return found, None


def _filter(
    reasons: Collection[str] | str | None,
    since: float | None,
    until: float | None,
    ids: Collection[int] | None = None,
) -> _Filter:
    chosen = (
        None if reasons is None else frozenset([reasons] if isinstance(reasons, str) else reasons)
    )
    return _Filter(chosen, since, until, None if ids is None else frozenset(ids))


def _decoded(letter: DeadLetter) -> dict[str, Any] | None:
    try:
        data = orjson.loads(letter.data)
    except orjson.JSONDecodeError:
        return None
    return data if is_planned(data) else None


def _failed(destination_id: str, letter: DeadLetter) -> FailedDelivery:
    data = _decoded(letter)
    planned = PlannedDelivery.from_json(data) if data is not None else None
    return FailedDelivery(
        letter.id,
        destination_id,
        letter.reason,
        letter.attempts,
        letter.dead_at,
        letter.first_enqueued_at,
        planned,
    )
