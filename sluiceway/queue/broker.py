"""The broker interface every queue backend implements.

The shape is NATS JetStream's, because JetStream is where Sluiceway goes past one
machine (DESIGN.md, "Storage and scale"), and the embedded SQLite backend must be a
drop-in for it:

- A **stream** is an append-only, durable log of messages, each with a sequence
  number and a subject. `publish` returns only once the messages are durable, so the
  tracking API can answer 200 knowing nothing accepted will be lost.
- A **consumer** is a durable, named cursor on a stream with its own acks: one per
  destination, so a slow or dead destination holds back only itself (fan-out). Any
  number of workers, in any number of processes, may `fetch` from one consumer; each
  message goes to one of them at a time.
- Delivery is at least once. A fetched message is invisible to other fetches for the
  consumer's ack wait; `ack` finishes it, `nak` asks for it again after a delay,
  `in_progress` restarts the wait for slow work, `term` gives up on it (dead letter).
  A worker that dies simply stops extending: its messages come back after the wait.
- A message is deleted once every consumer of its stream has finished with it
  (JetStream's *interest* retention).

Everything is async: the tracking API and the delivery workers run on asyncio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .config import ConsumerConfig
from .delivery import DeadLetter, Delivery

Payload = bytes | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ConsumerInfo:
    """A consumer's position and backlog, named as in JetStream's ConsumerInfo.

    - `num_pending`: messages not yet delivered to this consumer (its backlog).
    - `num_ack_pending`: delivered and not yet acked (in flight plus waiting to retry).
    - `num_in_flight`: delivered, with a worker's ack wait still running.
    - `num_redelivered`: unacked messages delivered more than once.
    - `num_dead_letters`: messages given up on and kept for inspection.
    - `delivered_seq`: the highest sequence handed out (or skipped by the filter).
    - `ack_floor`: every sequence up to this one is finished.
    """

    stream: str
    name: str
    config: ConsumerConfig
    num_pending: int
    num_ack_pending: int
    num_in_flight: int
    num_redelivered: int
    num_dead_letters: int
    delivered_seq: int
    ack_floor: int


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """A stream's retained range: messages `first_seq`..`last_seq` are still stored."""

    name: str
    first_seq: int
    last_seq: int
    messages: int
    consumers: tuple[str, ...]


class Consumer(Protocol):
    """A durable pull consumer on one stream."""

    @property
    def name(self) -> str: ...

    async def fetch(self, batch: int, *, wait_s: float = 0.0) -> list[Delivery]:
        """Up to `batch` deliveries: due redeliveries first, then new messages in order.

        Waits up to `wait_s` for at least one; returns an empty list if none came.
        """
        ...

    async def ack(self, *deliveries: Delivery) -> None:
        """Finish these deliveries: they will not be delivered to this consumer again."""
        ...

    async def nak(self, *deliveries: Delivery, delay_s: float = 0.0) -> None:
        """Deliver these again, no sooner than `delay_s` from now."""
        ...

    async def in_progress(self, *deliveries: Delivery) -> None:
        """Restart the ack wait of these deliveries: the worker is still on them."""
        ...

    async def term(self, *deliveries: Delivery, reason: str) -> None:
        """Stop delivering these and keep them as dead letters, with `reason`."""
        ...

    async def info(self) -> ConsumerInfo: ...

    async def dead_letters(self, *, after_id: int = 0, limit: int = 100) -> list[DeadLetter]:
        """Dead letters in the order they died, after `after_id` (for paging)."""
        ...

    async def discard_dead_letters(self, *dead_letter_ids: int) -> int:
        """Delete dead letters (after a replay, or when a user dismisses them)."""
        ...


class Stream(Protocol):
    """A durable log of messages, with its consumers."""

    @property
    def name(self) -> str: ...

    async def publish(self, messages: Sequence[Payload], *, subject: str | None = None) -> list[int]:
        """Append `messages` (bytes, or mappings stored as JSON) and return their sequences.

        Returns only once they are durable. `subject` defaults to the stream's name.
        """
        ...

    async def consumer(self, name: str, config: ConsumerConfig | None = None) -> Consumer:
        """The durable consumer `name`, created if new; an existing one takes `config`'s
        timing and filters but keeps its position (`deliver_policy` applies at creation)."""
        ...

    async def delete_consumer(self, name: str) -> bool:
        """Remove a consumer and its unacked state; True if it existed."""
        ...

    async def info(self) -> StreamInfo: ...


class Broker(Protocol):
    """A connection to one queue backend."""

    async def stream(self, name: str) -> Stream:
        """The stream `name`, created if new."""
        ...

    async def close(self) -> None:
        """Finish queued work and release the backend; the broker is unusable after."""
        ...
