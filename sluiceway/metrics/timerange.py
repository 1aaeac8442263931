"""The time window a Delivery Overview query covers, validated once.

Counts live in one-minute buckets, so a window covers every bucket it overlaps:
from the minute `start` falls in up to, not including, `end` (an event at exactly
`end` belongs to the next window). Segment's UI offers 10 minutes to 2 weeks; the same
bounds keep a query's cost predictable here, and "% change" compares a window with the
one of equal length just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

BUCKET_S = 60
MIN_RANGE_S = 10 * 60
MAX_RANGE_S = 14 * 24 * 3600

Instant = datetime | float | int


def to_epoch(value: Instant, argument: str) -> float:
    """Seconds since the epoch; a naive datetime is refused because its zone is a guess."""
    if isinstance(value, bool):
        raise ValueError(f"{argument}: must be a timezone-aware datetime or epoch seconds, not a bool")
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{argument}: a datetime must carry a timezone (use UTC)")
        return value.timestamp()
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            raise ValueError(f"{argument}: epoch seconds must be a finite number >= 0")
        return float(value)
    raise ValueError(f"{argument}: must be a timezone-aware datetime or epoch seconds")


def bucket_of(at: float) -> int:
    """The start (epoch seconds) of the minute `at` falls in."""
    return int(at // BUCKET_S) * BUCKET_S


def iso(at: float) -> str:
    """RFC 3339 UTC with milliseconds, as the tracking API writes timestamps."""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class TimeRange:
    """[start, end) in epoch seconds, 10 minutes to 2 weeks long."""

    start: float
    end: float

    @classmethod
    def of(cls, start: Instant, end: Instant) -> TimeRange:
        first, last = to_epoch(start, "start"), to_epoch(end, "end")
        length = last - first
        if length <= 0:
            raise ValueError("end: must be after start")
        if length < MIN_RANGE_S:
            raise ValueError(f"end: the range must be at least 10 minutes (got {length:g} s)")
        if length > MAX_RANGE_S:
            raise ValueError(f"end: the range must be at most 2 weeks (got {length:g} s)")
        return cls(first, last)

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def first_bucket(self) -> int:
        """The first bucket overlapping the range."""
        return bucket_of(self.start)

    def previous(self) -> TimeRange:
        """The window of equal length just before this one, for "% change"."""
        return TimeRange(self.start - self.seconds, self.start)

    def to_dict(self) -> dict[str, str]:
        return {"start": iso(self.start), "end": iso(self.end)}
