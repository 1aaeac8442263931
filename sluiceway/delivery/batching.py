"""Grouping deliveries into batches: same mapping, same batch key, up to the batch size.

A batch leaves as soon as it is full, or once its oldest member has waited `linger_s`:
the linger trades a little latency for fewer, larger requests when traffic is light,
and costs nothing when traffic is heavy, because batches then fill at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")


@dataclass(slots=True)
class _Forming(Generic[Item]):
    limit: int
    deadline: float
    items: list[Item] = field(default_factory=list)


class Batcher(Generic[Item]):
    """Batches being filled, keyed by whatever makes items compatible."""

    def __init__(self, linger_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.linger_s = linger_s
        self._clock = clock
        self._forming: dict[Hashable, _Forming[Item]] = {}

    def __len__(self) -> int:
        return sum(len(batch.items) for batch in self._forming.values())

    def add(self, key: Hashable, item: Item, limit: int) -> list[Item] | None:
        """Add `item`; returns the batch when this filled it (it then leaves the batcher)."""
        batch = self._forming.get(key)
        if batch is None:
            batch = self._forming[key] = _Forming(max(1, limit), self._clock() + self.linger_s)
        batch.items.append(item)
        if len(batch.items) >= batch.limit:
            del self._forming[key]
            return batch.items
        return None

    def due(self) -> list[list[Item]]:
        """The batches whose linger is over, removed from the batcher."""
        now = self._clock()
        ready = [key for key, batch in self._forming.items() if batch.deadline <= now]
        return [self._forming.pop(key).items for key in ready]

    def next_due_in(self) -> float | None:
        """Seconds until the next batch is due (0 when one already is), None when empty."""
        if not self._forming:
            return None
        soonest = min(batch.deadline for batch in self._forming.values())
        return max(0.0, soonest - self._clock())

    def drain(self) -> list[Item]:
        """Every item still waiting, in no batch (for shutdown)."""
        items = [item for batch in self._forming.values() for item in batch.items]
        self._forming.clear()
        return items
