"""Delivery Overview: how many events reached each step, why the rest were discarded.

A destination's view follows its events through our pipeline in order: successfully
received (routed to it), filtered at destination, mapping selector (one delivery
planned per matching mapping), pending retry, failed delivery, successful delivery. A
source's view has received and failed on ingest. Every count comes with the count of
the previous window of equal length and the "% change" between them; every discard
or failure reason with up to 10 samples from the window, newest first.

Filtering by mapping keeps the destination-wide rows (routed, destination filters,
NO_MATCHING_MAPPING), because those steps happen before any mapping is chosen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from . import _schema as tables
from ._query import counts_in, decode, for_mapping, or_none, percent, percent_change
from ._writer import SAMPLES_PER_KEY
from .outcome import Step
from .timerange import TimeRange, iso


class StepView(NamedTuple):
    key: str
    label: str
    step: Step


DESTINATION_STEPS = (
    StepView("successfully_received", "Successfully received", Step.ROUTED),
    StepView("filtered_at_destination", "Filtered at destination", Step.FILTERED_AT_DESTINATION),
    StepView("mapping_selector", "Mapping selector", Step.PLANNED),
    StepView("pending_retry", "Pending retry", Step.PENDING_RETRY),
    StepView("failed_delivery", "Failed delivery", Step.FAILED_DELIVERY),
    StepView("successful_delivery", "Successful delivery", Step.SUCCESSFUL_DELIVERY),
)
SOURCE_STEPS = (
    StepView("received", "Received", Step.RECEIVED),
    StepView("failed_on_ingest", "Failed on ingest", Step.FAILED_ON_INGEST),
)


@dataclass(frozen=True, slots=True)
class Sample:
    """One event as the step saw it when it was discarded or failed."""

    at: float
    message_id: str | None
    source_id: str | None
    mapping_id: str | None
    detail: str | None
    payload: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": iso(self.at),
            "message_id": self.message_id,
            "source_id": self.source_id,
            "mapping_id": self.mapping_id,
            "detail": self.detail,
            "payload": self.payload,
        }


@dataclass(frozen=True, slots=True)
class ReasonCount:
    reason: str
    count: int
    previous_count: int
    percent_change: float | None
    samples: list[Sample] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "count": self.count,
            "previous_count": self.previous_count,
            "percent_change": self.percent_change,
            "samples": [s.to_dict() for s in self.samples],
        }


@dataclass(frozen=True, slots=True)
class MappingCount:
    mapping_id: str
    count: int
    previous_count: int
    percent_change: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mapping_id": self.mapping_id,
            "count": self.count,
            "previous_count": self.previous_count,
            "percent_change": self.percent_change,
        }


@dataclass(frozen=True, slots=True)
class OverviewStep:
    """One step: its count, its share of the view's base (%), and its breakdowns."""

    key: str
    label: str
    step: Step
    count: int
    previous_count: int
    percent_change: float | None
    percent: float | None
    reasons: list[ReasonCount]
    mappings: list[MappingCount]

    def reason(self, reason: str) -> ReasonCount | None:
        return next((r for r in self.reasons if r.reason == reason), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "step": str(self.step),
            "count": self.count,
            "previous_count": self.previous_count,
            "percent_change": self.percent_change,
            "percent": self.percent,
            "reasons": [r.to_dict() for r in self.reasons],
            "mappings": [m.to_dict() for m in self.mappings],
        }


@dataclass(frozen=True, slots=True)
class Overview:
    """A destination's or a source's Delivery Overview for one window.

    `percent` is relative to the first step for a destination (successfully received)
    and to everything that reached ingest (received + failed on ingest) for a source.
    """

    window: TimeRange
    steps: list[OverviewStep]
    destination_id: str | None = None
    source_id: str | None = None
    mapping_id: str | None = None

    def step(self, key: str) -> OverviewStep:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.window.to_dict(),
            "destination_id": self.destination_id,
            "source_id": self.source_id,
            "mapping_id": self.mapping_id,
            "steps": [s.to_dict() for s in self.steps],
        }


Totals = dict[tuple[str, str, str], int]  # (step, reason, mapping_id) -> count


def destination_overview(
    connection: Connection, destination_id: str, window: TimeRange, mapping_id: str | None
) -> Overview:
    c = tables.counts.c
    where = for_mapping(c.mapping_id, mapping_id)
    current = _totals(connection, counts_in(window, destination_id=destination_id), where)
    previous = _totals(connection, counts_in(window.previous(), destination_id=destination_id), where)
    s = tables.samples.c
    samples = _samples(connection, window, s.destination_id == destination_id, for_mapping(s.mapping_id, mapping_id))
    base = _step_total(current, Step.ROUTED)
    steps = [_step(view, current, previous, samples, base) for view in DESTINATION_STEPS]
    return Overview(window, steps, destination_id=destination_id, mapping_id=mapping_id)


def source_overview(connection: Connection, source_id: str, window: TimeRange) -> Overview:
    kinds = tables.counts.c.step.in_([str(v.step) for v in SOURCE_STEPS])
    current = _totals(connection, counts_in(window, source_id=source_id, destination_id=""), kinds)
    previous = _totals(connection, counts_in(window.previous(), source_id=source_id, destination_id=""), kinds)
    s = tables.samples.c
    samples = _samples(connection, window, s.source_id == source_id, s.destination_id == "")
    base = sum(_step_total(current, v.step) for v in SOURCE_STEPS)
    steps = [_step(view, current, previous, samples, base) for view in SOURCE_STEPS]
    return Overview(window, steps, source_id=source_id)


def _totals(connection: Connection, *where: Any) -> Totals:
    c = tables.counts.c
    rows = connection.execute(
        select(c.step, c.reason, c.mapping_id, func.sum(c.count))
        .where(*where)
        .group_by(c.step, c.reason, c.mapping_id)
    )
    return {(step, reason, mapping): int(total) for step, reason, mapping, total in rows}


def _samples(connection: Connection, window: TimeRange, *where: Any) -> dict[tuple[str, str], list[Sample]]:
    """Newest first, at most 10 per (step, reason) across mappings."""
    s = tables.samples.c
    rows = connection.execute(
        select(s.step, s.reason, s.at, s.message_id, s.source_id, s.mapping_id, s.detail, s.payload)
        .where(*where, s.at >= window.first_bucket, s.at < window.end)
        .order_by(s.at.desc(), s.id.desc())
    )
    found: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for row in rows:
        kept = found[(row.step, row.reason)]
        if len(kept) < SAMPLES_PER_KEY:
            kept.append(
                Sample(
                    row.at,
                    or_none(row.message_id),
                    or_none(row.source_id),
                    or_none(row.mapping_id),
                    row.detail,
                    decode(row.payload),
                )
            )
    return found


def _step_total(totals: Totals, step: Step) -> int:
    return sum(n for (kind, _, _), n in totals.items() if kind == step)


def _by(totals: Totals, step: Step, index: int) -> dict[str, int]:
    """One step's counts by reason (index 1) or by mapping (index 2); "" left out."""
    found: dict[str, int] = defaultdict(int)
    for key, n in totals.items():
        if key[0] == step and key[index]:
            found[key[index]] += n
    return found


def _step(
    view: StepView,
    current: Totals,
    previous: Totals,
    samples: dict[tuple[str, str], list[Sample]],
    base: int,
) -> OverviewStep:
    count, before = _step_total(current, view.step), _step_total(previous, view.step)
    now_reasons, old_reasons = _by(current, view.step, 1), _by(previous, view.step, 1)
    reasons = [
        ReasonCount(
            reason,
            n,
            old_reasons.get(reason, 0),
            percent_change(n, old_reasons.get(reason, 0)),
            samples.get((str(view.step), reason), []),
        )
        for reason, n in sorted(now_reasons.items(), key=lambda item: (-item[1], item[0]))
    ]
    now_mappings, old_mappings = _by(current, view.step, 2), _by(previous, view.step, 2)
    mappings = [
        MappingCount(mapping, n, old_mappings.get(mapping, 0), percent_change(n, old_mappings.get(mapping, 0)))
        for mapping, n in sorted(now_mappings.items(), key=lambda item: (-item[1], item[0]))
    ]
    return OverviewStep(
        view.key,
        view.label,
        view.step,
        count,
        before,
        percent_change(count, before),
        percent(count, base),
        reasons,
        mappings,
    )
