"""A per-destination circuit breaker: stop sending to a vendor that keeps failing.

Without it a destination that is down receives every queued event once per retry,
which hammers it while it tries to recover and keeps the worker's connections busy.
After `threshold` consecutive retryable failures the breaker *opens*: the worker sends
nothing for `cooldown_s`, and deliveries it already holds are put back with a delay.
Then it goes *half open* and lets exactly one request through as a probe; success
closes it, another retryable failure opens it for a new cooldown.

Only retryable failures count. A permanent failure (a 400, bad credentials) proves the
vendor is answering, so for the breaker it counts as a success.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Consecutive-failure breaker with a cooldown and a single half-open probe.

    Not thread-safe: one destination's worker owns it, on one event loop.
    """

    def __init__(
        self,
        threshold: int = 5,
        cooldown_s: float = 30.0,
        *,
        probe_wait_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1:
            raise ValueError(f"threshold must be at least 1, got {threshold}")
        if cooldown_s <= 0:
            raise ValueError(f"cooldown_s must be positive, got {cooldown_s}")
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self.probe_wait_s = min(probe_wait_s, cooldown_s)
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self.last_reason: str | None = None

    @property
    def state(self) -> BreakerState:
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def ready(self) -> bool:
        """Whether a request could be admitted now (closed, or a probe is due)."""
        if self._state is BreakerState.CLOSED:
            return True
        return self._state is BreakerState.OPEN and self.retry_in() <= 0

    def admit(self) -> bool:
        """Ask to send one request; True when it may go (in half-open, only the probe)."""
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN and self.retry_in() <= 0:
            self._state = BreakerState.HALF_OPEN
            return True
        return False

    def retry_in(self) -> float:
        """Seconds before deferred work is worth trying again."""
        if self._state is BreakerState.OPEN:
            return max(0.0, self._opened_at + self.cooldown_s - self._clock())
        if self._state is BreakerState.HALF_OPEN:
            return self.probe_wait_s
        return 0.0

    def record_success(self) -> None:
        self._state = BreakerState.CLOSED
        self._failures = 0

    def record_failure(self, reason: str | None = None) -> None:
        """A retryable failure: count it, and open once the threshold is reached."""
        self.last_reason = reason
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self.threshold:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
