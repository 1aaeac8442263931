"""The trace budget: every event is traced up to a rate; above it, a consistent sample.

Trace rows are most of what a flush writes (four per delivered event, each with its
payload), and the cap keeps only the newest 200,000 of them anyway: at 25,000 events/s
that is the last two seconds, bought with three quarters of the metrics writer's CPU.
So the trace has a budget in events (distinct messageIds) per second. At or under it,
every event is traced. Over it, an event is traced when the low `level` bits of the
CRC-32 of its messageId are all zero: one event in 2**level, the fewest halvings that
bring the rate within the budget (so between half the budget and the whole of it).

The choice depends on the messageId alone, so every stage of a sampled event is traced,
in every process; and an event sampled at one level is sampled at every lower level, so
as the rate falls the sample only grows. The stages someone comes looking for
(`ALWAYS_TRACED`: failed on ingest, filtered, retried, failed delivery) are traced
whatever the level, together with every other stage of their event in the same write.

The rate is the distinct messageIds this store wrote in the last `RATE_WINDOW_S` (an
event's stages usually span two consecutive writes: it counts in the first only). Each
store publishes it in `metrics_trace_rates`, and the level follows the highest rate
any writer published in the last `LIVE_S`: an API process and the worker processes
writing into one database (each seeing all or part of the same traffic) sample at one
level. An event in flight when the level changes may keep only the stages written on
one side of the change.
"""

from __future__ import annotations

import math
import uuid
from collections import deque
from collections.abc import Sequence
from zlib import crc32

from sqlalchemy import Connection, delete, func, select

from . import _schema as tables
from ._query import dialect_insert
from ._writer import SAMPLED_STEPS
from .outcome import Outcome

DEFAULT_TRACE_BUDGET = 1_000
RATE_WINDOW_S = 1.0
LIVE_S = 10.0
MAX_LEVEL = 24  # one event in 16 million: past any rate one process can write
# The steps that keep per-reason samples are the ones someone comes looking for.
ALWAYS_TRACED = SAMPLED_STEPS


def level_for(rate: float, budget: int) -> int:
    """The fewest halvings of `rate` that bring it within `budget`."""
    if rate <= budget:
        return 0
    return min(MAX_LEVEL, math.ceil(math.log2(rate / budget)))


def is_sampled(message_id: str, level: int) -> bool:
    """Whether the event is traced at `level`: the same answer in every process."""
    return not crc32(message_id.encode("utf-8", "surrogatepass")) & ((1 << level) - 1)


class TraceBudget:
    """One store's share of the budget: its recent rate, and the level for each write."""

    def __init__(self, events_per_s: int | None) -> None:
        self.events_per_s = events_per_s
        self.writer = uuid.uuid4().hex
        self._recent: deque[tuple[float, int]] = deque()
        self._previous: set[str] = set()

    def keep(self, connection: Connection, outcomes: Sequence[Outcome], now: float) -> set[str] | None:
        """The messageIds this write traces, or None for every one (the level is 0).

        Publishes this store's rate on the way, in the write's transaction.
        """
        if self.events_per_s is None:
            return None
        messages = {o.message_id for o in outcomes}
        messages.discard(None)  # type: ignore[arg-type]
        messages.discard("")
        new, self._previous = len(messages - self._previous), messages
        level = self._level(connection, new, now, self.events_per_s)
        if level == 0:
            return None
        kept = {m for m in messages if is_sampled(str(m), level)}
        kept.update(o.message_id for o in outcomes if o.step in ALWAYS_TRACED and o.message_id)
        return kept

    def _level(self, connection: Connection, messages: int, now: float, budget: int) -> int:
        """Publish this store's rate; the level the busiest live writer's rate asks for."""
        rate = self._rate(messages, now)
        rates = tables.trace_rates
        insert = dialect_insert(connection)(rates).values(writer=self.writer, events_per_s=rate, at=now)
        connection.execute(
            insert.on_conflict_do_update(index_elements=["writer"], set_={"events_per_s": rate, "at": now})
        )
        highest = connection.execute(
            select(func.max(rates.c.events_per_s)).where(rates.c.at >= now - LIVE_S)
        ).scalar()
        return level_for(max(rate, highest or 0.0), budget)

    def _rate(self, messages: int, now: float) -> float:
        """Distinct messageIds written in the last RATE_WINDOW_S, per second."""
        recent = self._recent
        recent.append((now, messages))
        while recent[0][0] <= now - RATE_WINDOW_S:
            recent.popleft()
        return sum(count for _, count in recent) / RATE_WINDOW_S


def prune(connection: Connection, now: float) -> None:
    """Forget the rates of writers that have not written for LIVE_S (closed, or idle)."""
    rates = tables.trace_rates
    connection.execute(delete(rates).where(rates.c.at < now - LIVE_S))
