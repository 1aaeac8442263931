"""Per-source rate limiting for the tracking API: one token bucket per source.

Segment answers 429 with `Retry-After` when a source sends too fast; we do the same so
SDKs back off (analytics-python and analytics-node honour `Retry-After`). The bucket
counts *events*, not requests, because events are what cost work downstream: a
2,500-item batch weighs 2,500 single calls.

A request larger than the whole burst could never fit, and refusing it forever would
lose data; so a request is admitted whenever the bucket holds `min(events, burst)`
tokens and may drive it into debt, which later requests then wait out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`events_per_s` sustained per source, with bursts of up to `burst` events.

    The default is generous on purpose: it is a guard against a runaway client, not a
    quota. 5,000 events/s with a 50,000 burst lets a backfill post twenty full
    batches at once.
    """

    events_per_s: float = 5_000.0
    burst: float = 50_000.0

    def __post_init__(self) -> None:
        if not self.events_per_s > 0:
            raise ValueError(f"events_per_s must be positive, got {self.events_per_s}")
        if not self.burst >= 1:
            raise ValueError(f"burst must be at least 1, got {self.burst}")


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by source id; `take` admits a request or says how long to wait.

    Sources are only ever known (authenticated) ones, so the table is bounded by the
    number of configured sources.
    """

    def __init__(self, limit: RateLimit, clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, source_id: str, events: int) -> float:
        """Spend `events` tokens of `source_id`'s bucket: 0.0 if admitted, else seconds to wait."""
        limit = self.limit
        now = self._clock()
        bucket = self._buckets.get(source_id)
        if bucket is None:
            bucket = self._buckets[source_id] = _Bucket(limit.burst, now)
        # max(): a clock that steps backwards must not drain the bucket.
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(limit.burst, bucket.tokens + elapsed * limit.events_per_s)
        bucket.updated = now
        needed = min(float(events), limit.burst)
        if bucket.tokens >= needed:
            bucket.tokens -= events
            return 0.0
        return (needed - bucket.tokens) / limit.events_per_s


def retry_after_seconds(wait_s: float) -> int:
    """`Retry-After` is whole seconds; round up so a client that obeys it gets through."""
    return max(1, math.ceil(wait_s))
