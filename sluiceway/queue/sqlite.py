"""The embedded queue backend: one SQLite file, no server, crash-safe.

    broker = await SqliteBroker.open(".sluiceway/queue.db")
    events = await broker.stream("events")
    await events.publish([event_a, event_b], subject="events.source-1")
    slack = await events.consumer("dest-slack", ConsumerConfig(ack_wait_s=30))
    for delivery in await slack.fetch(100, wait_s=1.0):
        ...
        await slack.ack(delivery)

Durability. The database runs in WAL mode. A publish returns only after its
transaction has committed with `synchronous=FULL` (the default), which fsyncs the WAL:
the events survive a kill -9 *and* a power cut or kernel crash. With
`synchronous="NORMAL"` a commit is only written to the OS, not fsynced: still safe
against kill -9 (the kernel holds the data and writes it out), but a power cut may
roll back the last transactions. Fetches, acks and naks never fsync: losing one only
causes a redelivery, which at-least-once delivery allows. Group commit (see
`_sqlite_writer`) lets concurrent publishes share one fsync. bench/queue_sqlite.py
measures both settings; docs/queue.md records the figures and the choice.

Crashes. Nothing is held only in memory. A worker that dies with messages in flight
leaves them pending; they become visible again when their ack wait expires, to any
process fetching from the same consumer. Several processes may share one database
file (SQLite's file lock serialises their writes); wake-ups across processes come
from polling every `poll_interval_s`, within a process from publish itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from . import _sqlite_ops as ops
from ._sqlite_writer import Writer
from .broker import ConsumerInfo, Payload, StreamInfo
from .config import ConsumerConfig, check_name, check_subject
from .delivery import DeadLetter, Delivery, delivery_from_row
from .errors import QueueError

MAX_FETCH_BATCH = 10_000


class SqliteBroker:
    """A queue broker on one SQLite database file."""

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: str = "FULL",
        busy_timeout_s: float = 10.0,
        poll_interval_s: float = 0.1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.poll_interval_s = poll_interval_s
        self.clock = clock
        self._writer = Writer(str(self.path), durable_sync=synchronous, busy_timeout_s=busy_timeout_s)
        self._signals: dict[int, asyncio.Event] = {}

    @classmethod
    async def open(cls, path: str | Path, **options: Any) -> SqliteBroker:
        """Open (creating if needed) the database at `path`; its folder is created too."""
        broker = cls(path, **options)
        broker.path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(broker._writer.start)
        return broker

    async def __aenter__(self) -> SqliteBroker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def stream(self, name: str) -> SqliteStream:
        check_name("stream", name)
        stream_id = await self._call(ops.ensure_stream, name, self.clock())
        return SqliteStream(self, name, stream_id)

    async def close(self) -> None:
        await asyncio.to_thread(self._writer.close)

    @property
    def commits(self) -> int:
        """Transactions committed so far (group commit makes this far below the op count)."""
        return self._writer.commits

    async def _call(self, work: Callable[..., Any], *args: Any, durable: bool = False) -> Any:
        return await self._writer.submit(work, *args, durable=durable)

    def _signal(self, stream_id: int) -> asyncio.Event:
        signal = self._signals.get(stream_id)
        if signal is None:
            signal = self._signals[stream_id] = asyncio.Event()
        return signal

    def _notify(self, stream_id: int) -> None:
        """Wake every fetch waiting on the stream; later waiters get a fresh event."""
        signal = self._signals.pop(stream_id, None)
        if signal is not None:
            signal.set()


class SqliteStream:
    """A stream in a SqliteBroker."""

    def __init__(self, broker: SqliteBroker, name: str, stream_id: int) -> None:
        self._broker = broker
        self._id = stream_id
        self.name = name

    async def publish(self, messages: Sequence[Payload], *, subject: str | None = None) -> list[int]:
        subject = check_subject(subject) if subject is not None else self.name
        payloads = [_encode(message, index) for index, message in enumerate(messages)]
        if not payloads:
            return []
        broker = self._broker
        first = await broker._call(
            ops.publish, self._id, subject, payloads, broker.clock(), durable=True
        )
        broker._notify(self._id)
        return list(range(first, first + len(payloads)))

    async def consumer(self, name: str, config: ConsumerConfig | None = None) -> SqliteConsumer:
        check_name("consumer", name)
        config = config or ConsumerConfig()
        consumer_id = await self._broker._call(
            ops.ensure_consumer, self._id, name, config, self._broker.clock()
        )
        return SqliteConsumer(self._broker, self, name, consumer_id)

    async def delete_consumer(self, name: str) -> bool:
        check_name("consumer", name)
        return bool(await self._broker._call(ops.delete_consumer, self._id, name))

    async def info(self) -> StreamInfo:
        first, last, names = await self._broker._call(ops.stream_info, self._id)
        return StreamInfo(self.name, first, last, max(0, last - first + 1), tuple(names))


class SqliteConsumer:
    """A durable pull consumer of a SqliteStream."""

    def __init__(self, broker: SqliteBroker, stream: SqliteStream, name: str, consumer_id: int):
        self._broker = broker
        self._stream = stream
        self._id = consumer_id
        self.name = name
        self._names = (stream.name, name)  # the last two fields of each Delivery

    async def fetch(self, batch: int, *, wait_s: float = 0.0) -> list[Delivery]:
        if not 1 <= batch <= MAX_FETCH_BATCH:
            raise QueueError(f"fetch batch must be between 1 and {MAX_FETCH_BATCH}, got {batch}")
        broker = self._broker
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            signal = broker._signal(self._stream._id)  # taken first: no publish slips between
            rows, next_due = await broker._call(ops.fetch, self._id, batch, broker.clock())
            if rows:
                # Names appended here, not selected as SQL constants: SQLite would make
                # two new strings per row, which cost more than the whole tuple here.
                names = self._names
                return [delivery_from_row(row + names) for row in rows]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            pause = min(remaining, broker.poll_interval_s)
            if next_due is not None:
                pause = min(pause, max(0.0, next_due - broker.clock()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), timeout=pause)

    async def ack(self, *deliveries: Delivery) -> None:
        seqs = self._own(deliveries)
        if seqs:
            await self._broker._call(ops.ack, self._id, seqs)

    async def nak(self, *deliveries: Delivery, delay_s: float = 0.0) -> None:
        if delay_s < 0:
            raise QueueError(f"nak delay must not be negative, got {delay_s}")
        seqs = self._own(deliveries)
        if seqs:
            await self._broker._call(ops.nak, self._id, seqs, self._broker.clock() + delay_s)

    async def in_progress(self, *deliveries: Delivery) -> None:
        self._own(deliveries)
        attempts = [(delivery.id, delivery.attempt) for delivery in deliveries]
        if attempts:
            await self._broker._call(ops.in_progress, self._id, attempts, self._broker.clock())

    async def term(self, *deliveries: Delivery, reason: str) -> None:
        seqs = self._own(deliveries)
        if seqs:
            await self._broker._call(ops.term, self._id, seqs, reason, self._broker.clock())

    async def info(self) -> ConsumerInfo:
        fields = await self._broker._call(ops.consumer_info, self._id, self._broker.clock())
        return ConsumerInfo(stream=self._stream.name, name=self.name, **fields)

    async def dead_letters(self, *, after_id: int = 0, limit: int = 100) -> list[DeadLetter]:
        rows = await self._broker._call(ops.dead_letters, self._id, after_id, limit)
        return [DeadLetter(*row) for row in rows]

    async def discard_dead_letters(self, *dead_letter_ids: int) -> int:
        if not dead_letter_ids:
            return 0
        return int(await self._broker._call(ops.discard_dead_letters, self._id, dead_letter_ids))

    def _own(self, deliveries: Sequence[Delivery]) -> list[int]:
        """The deliveries' sequences, refusing any that another consumer received."""
        for delivery in deliveries:
            if delivery.consumer != self.name or delivery.stream != self._stream.name:
                raise QueueError(
                    f"delivery {delivery.id} belongs to {delivery.stream}/{delivery.consumer},"
                    f" not {self._stream.name}/{self.name}"
                )
        return [delivery.id for delivery in deliveries]


def _encode(message: Payload, index: int) -> bytes:
    # A plain dict (what the router publishes) skips the ABC `isinstance(..., Mapping)`,
    # which cost as much as the encoding itself.
    if type(message) is not dict:
        if isinstance(message, bytes):
            return message
        if isinstance(message, bytearray | memoryview):
            return bytes(message)
        if not isinstance(message, Mapping):
            raise QueueError(
                f"messages[{index}] must be bytes or a mapping, got {type(message).__name__}"
            )
        message = message if isinstance(message, dict) else dict(message)
    try:
        return orjson.dumps(message)
    except TypeError as problem:
        raise QueueError(f"messages[{index}] cannot be stored as JSON: {problem}") from None
