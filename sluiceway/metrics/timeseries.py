"""Delivered and failed counts per interval, for a destination's chart.

Points start at the minute the window starts in and are `step_seconds` apart (a whole
number of minutes, because counts are kept per minute); the last point may cover a
partial interval. Every interval gets a point, zero or not, so a chart needs no gaps
logic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from . import _schema as tables
from ._query import counts_in, for_mapping
from .outcome import Step
from .timerange import BUCKET_S, TimeRange, iso

CHARTED = {
    str(Step.SUCCESSFUL_DELIVERY): "delivered",
    str(Step.FAILED_DELIVERY): "failed",
    str(Step.PENDING_RETRY): "retried",
}


@dataclass(frozen=True, slots=True)
class Point:
    start: float
    delivered: int = 0
    failed: int = 0
    retried: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": iso(self.start),
            "delivered": self.delivered,
            "failed": self.failed,
            "retried": self.retried,
        }


@dataclass(frozen=True, slots=True)
class Timeseries:
    destination_id: str
    mapping_id: str | None
    window: TimeRange
    step_seconds: int
    points: list[Point]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.window.to_dict(),
            "destination_id": self.destination_id,
            "mapping_id": self.mapping_id,
            "step_seconds": self.step_seconds,
            "points": [p.to_dict() for p in self.points],
        }


def check_step_seconds(step_seconds: object, window: TimeRange) -> int:
    if isinstance(step_seconds, bool) or not isinstance(step_seconds, int):
        raise ValueError("step_seconds: must be an integer number of seconds")
    if step_seconds < BUCKET_S or step_seconds % BUCKET_S:
        raise ValueError("step_seconds: must be a positive multiple of 60 (counts are kept per minute)")
    if step_seconds > window.seconds:
        raise ValueError("step_seconds: must not be longer than the time range")
    return step_seconds


def timeseries(
    connection: Connection,
    destination_id: str,
    window: TimeRange,
    step_seconds: int,
    mapping_id: str | None,
) -> Timeseries:
    c = tables.counts.c
    origin = window.first_bucket
    rows = connection.execute(
        select(c.bucket, c.step, func.sum(c.count))
        .where(
            counts_in(window, destination_id=destination_id),
            for_mapping(c.mapping_id, mapping_id),
            c.step.in_(list(CHARTED)),
        )
        .group_by(c.bucket, c.step)
    )
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CHARTED.values(), 0))
    for bucket, step, total in rows:
        sums[(int(bucket) - origin) // step_seconds][CHARTED[step]] += int(total)
    count = math.ceil((window.end - origin) / step_seconds)
    points = [Point(origin + i * step_seconds, **sums[i]) if i in sums else Point(origin + i * step_seconds) for i in range(count)]
    return Timeseries(destination_id, mapping_id, window, step_seconds, points)
