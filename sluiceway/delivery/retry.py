"""When to try a failed delivery again, and when to give up.

Segment retries a retryable failure for up to four hours after the event arrived. The
waits grow exponentially with *full jitter* (a uniform draw between zero and the
exponential bound), so the retries of a burst that failed together spread out instead
of hitting a recovering vendor in waves. A vendor's `Retry-After` is a floor: the next
attempt never comes sooner than it asked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DEFAULT_WINDOW_S = 4 * 60 * 60.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter inside a retry window.

    - `base_s`: the bound of the first wait; attempt *n* draws from [0, base * 2^(n-1)].
    - `cap_s`: no drawn wait exceeds this (Retry-After may still ask for longer).
    - `window_s`: retries stop this long after the window started (the event's
      `received_at`, or the moment it was replayed).
    """

    base_s: float = 1.0
    cap_s: float = 300.0
    window_s: float = DEFAULT_WINDOW_S
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not (0 < self.base_s <= self.cap_s):
            raise ValueError(
                f"need 0 < base_s <= cap_s, got base_s={self.base_s}, cap_s={self.cap_s}"
            )
        if self.window_s <= 0:
            raise ValueError(f"window_s must be positive, got {self.window_s}")

    def bound(self, attempt: int) -> float:
        """The largest wait attempt `attempt` (1 the first time) may draw."""
        exponent = min(max(attempt, 1) - 1, 64)  # 2**64 already dwarfs any cap
        return min(self.cap_s, self.base_s * 2.0**exponent)

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `attempt`-th failure: jittered, never below Retry-After."""
        wait = self.rng.uniform(0.0, self.bound(attempt))
        return max(wait, retry_after or 0.0)

    def next_retry(
        self, attempt: int, window_start: float, now: float, retry_after: float | None = None
    ) -> float | None:
        """Seconds until the next attempt, or None when the window leaves no room for one."""
        return self.fit(self.backoff(attempt, retry_after), window_start, now, retry_after)

    def fit(
        self, wait: float, window_start: float, now: float, retry_after: float | None = None
    ) -> float | None:
        """`wait` shortened to end with the window, or None when no attempt fits in it.

        The last attempt happens at the window's edge. A Retry-After reaching past the
        window ends the retries, since honouring it means trying after the window closed.
        """
        remaining = window_start + self.window_s - now
        if remaining <= 0:
            return None
        if retry_after is not None and retry_after > remaining:
            return None
        return min(wait, remaining)
