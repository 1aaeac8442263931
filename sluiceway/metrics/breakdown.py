"""A destination's counts by event type and name: which events make up each step.

Rows are ordered by how many events of that kind reached the destination, so the
events that matter most come first; `counts` is keyed by step name (`routed`,
`filtered_at_destination`, ...) and leaves out steps with no events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from . import _schema as tables
from ._query import counts_in, or_none
from .outcome import Step
from .timerange import TimeRange


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    event_type: str | None
    event_name: str | None
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "event_name": self.event_name, "counts": dict(self.counts)}


@dataclass(frozen=True, slots=True)
class Breakdown:
    destination_id: str
    window: TimeRange
    rows: list[BreakdownRow]

    def row(self, event_type: str | None, event_name: str | None) -> BreakdownRow | None:
        return next((r for r in self.rows if (r.event_type, r.event_name) == (event_type, event_name)), None)

    def to_dict(self) -> dict[str, Any]:
        return {**self.window.to_dict(), "destination_id": self.destination_id, "rows": [r.to_dict() for r in self.rows]}


def breakdown(connection: Connection, destination_id: str, window: TimeRange) -> Breakdown:
    c = tables.counts.c
    rows = connection.execute(
        select(c.event_type, c.event_name, c.step, func.sum(c.count))
        .where(counts_in(window, destination_id=destination_id))
        .group_by(c.event_type, c.event_name, c.step)
    )
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for event_type, event_name, step, total in rows:
        found[(event_type, event_name)][step] = int(total)
    routed = str(Step.ROUTED)
    ordered = sorted(found.items(), key=lambda item: (-item[1].get(routed, 0), item[0]))
    return Breakdown(
        destination_id,
        window,
        [BreakdownRow(or_none(kind), or_none(name), counts) for (kind, name), counts in ordered],
    )
