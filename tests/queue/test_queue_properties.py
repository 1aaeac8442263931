"""At-least-once, checked against random interleavings of every consumer operation.

Whatever the order of publishes, fetches, acks, naks, terms and clock jumps, for each
consumer: nothing acked or terminated is delivered again, a message is redelivered
only after its wait ran out or a nak, and in the end every published message was
finished (acked or dead-lettered), after which the stream holds nothing.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway.queue import ConsumerConfig, Delivery, SqliteBroker

ACK_WAIT = 10.0
CONSUMERS = ("a", "b")

operation = st.one_of(
    st.tuples(st.just("publish"), st.integers(1, 5)),
    st.tuples(st.just("fetch"), st.sampled_from(CONSUMERS), st.integers(1, 6)),
    st.tuples(st.just("ack"), st.sampled_from(CONSUMERS), st.integers(0, 5)),
    st.tuples(st.just("nak"), st.sampled_from(CONSUMERS), st.integers(0, 5)),
    st.tuples(st.just("term"), st.sampled_from(CONSUMERS), st.integers(0, 5)),
    st.tuples(st.just("advance"), st.sampled_from([1.0, 5.0, 11.0])),
)


@dataclass
class Model:
    """What one consumer has been told, and what it may therefore see next."""

    held: dict[int, Delivery] = field(default_factory=dict)
    redeliverable_at: dict[int, float] = field(default_factory=dict)
    finished: set[int] = field(default_factory=set)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def run(operations: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock()
        async with await SqliteBroker.open(Path(folder) / "q.db", clock=clock) as broker:
            stream = await broker.stream("events")
            consumers = {
                name: await stream.consumer(name, ConsumerConfig(ack_wait_s=ACK_WAIT))
                for name in CONSUMERS
            }
            models = {name: Model() for name in CONSUMERS}
            published: set[int] = set()
            for op in operations:
                await apply(op, stream, consumers, models, published, clock)
            clock.now += ACK_WAIT + 1
            for name, consumer in consumers.items():
                while batch := await consumer.fetch(50):
                    check_fetch(models[name], batch, clock.now)
                    await consumer.ack(*batch)
                    models[name].finished.update(d.id for d in batch)
                assert models[name].finished == published, name
            assert (await stream.info()).messages == 0


async def apply(op, stream, consumers, models, published, clock) -> None:
    kind = op[0]
    if kind == "publish":
        published.update(await stream.publish([b"m"] * op[1]))
    elif kind == "advance":
        clock.now += op[1]
    elif kind == "fetch":
        _, name, batch = op
        deliveries = await consumers[name].fetch(batch)
        check_fetch(models[name], deliveries, clock.now)
        for delivery in deliveries:
            models[name].held[delivery.id] = delivery
            models[name].redeliverable_at[delivery.id] = clock.now + ACK_WAIT
    else:
        _, name, count = op
        model = models[name]
        chosen = sorted(model.held)[:count]
        deliveries = [model.held.pop(seq) for seq in chosen]
        if kind == "ack":
            await consumers[name].ack(*deliveries)
            model.finished.update(chosen)
        elif kind == "term":
            await consumers[name].term(*deliveries, reason="test")
            model.finished.update(chosen)
        else:
            await consumers[name].nak(*deliveries)
            model.redeliverable_at.update(dict.fromkeys(chosen, clock.now))


def check_fetch(model: Model, deliveries: list[Delivery], now: float) -> None:
    for delivery in deliveries:
        assert delivery.id not in model.finished, "finished message delivered again"
        due = model.redeliverable_at.get(delivery.id)
        if due is not None:
            assert due <= now, "redelivered before its wait ran out"
            assert delivery.attempt >= 2
            model.held.pop(delivery.id, None)
        else:
            assert delivery.attempt == 1


def test_random_interleavings_keep_at_least_once() -> None:
    check = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])(given(st.lists(operation, max_size=40))(
        lambda operations: asyncio.run(run(operations))))
    check()


@pytest.mark.slow
def test_random_interleavings_keep_at_least_once_thoroughly() -> None:
    check = settings(max_examples=500, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])(given(st.lists(operation, max_size=120))(
        lambda operations: asyncio.run(run(operations))))
    check()
