"""The durable queue between the tracking API and delivery: interface and backends.

    broker = await SqliteBroker.open(path)             # embedded; JetStream at scale
    stream = await broker.stream("events")
    await stream.publish([event, ...], subject="events.<source>")   # durable on return
    consumer = await stream.consumer("dest-<id>", ConsumerConfig(ack_wait_s=30))
    deliveries = await consumer.fetch(100, wait_s=1)
    await consumer.ack(*deliveries)                    # or nak / in_progress / term

At-least-once, JetStream-shaped: see `broker` for the semantics, docs/queue.md for
durability and how the JetStream backend fits.
"""

from __future__ import annotations

from .broker import Broker, Consumer, ConsumerInfo, Payload, Stream, StreamInfo
from .config import ConsumerConfig, DeliverPolicy, subject_matches
from .delivery import DeadLetter, Delivery
from .errors import QueueError
from .sqlite import MAX_FETCH_BATCH, SqliteBroker, SqliteConsumer, SqliteStream

__all__ = [
    "MAX_FETCH_BATCH",
    "Broker",
    "Consumer",
    "ConsumerConfig",
    "ConsumerInfo",
    "DeadLetter",
    "DeliverPolicy",
    "Delivery",
    "Payload",
    "QueueError",
    "SqliteBroker",
    "SqliteConsumer",
    "SqliteStream",
    "Stream",
    "StreamInfo",
    "subject_matches",
]
