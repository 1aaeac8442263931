"""One event's path: every stage it met, in pipeline order, with the verdict and payload.

This answers "where was my event dropped?" for events seen within the trace retention
(24 hours by default). Stages are ordered by pipeline step first and time second:
stages record different clocks (ingest its own, the router the time the event was
queued, delivery the attempt's), so time alone could show "routed" before "received".
A messageId is unique per source, so a trace may hold more than one source's event;
each stage names its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from . import _schema as tables
from ._query import decode, or_none
from .outcome import STEP_ORDER, VERDICTS, Step
from .timerange import iso


@dataclass(frozen=True, slots=True)
class TraceStage:
    step: Step
    verdict: str
    at: float
    source_id: str | None
    destination_id: str | None
    mapping_id: str | None
    reason: str | None
    detail: str | None
    payload: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": str(self.step),
            "verdict": self.verdict,
            "at": iso(self.at),
            "source_id": self.source_id,
            "destination_id": self.destination_id,
            "mapping_id": self.mapping_id,
            "reason": self.reason,
            "detail": self.detail,
            "payload": self.payload,
        }


@dataclass(frozen=True, slots=True)
class Trace:
    message_id: str
    stages: list[TraceStage]

    @property
    def found(self) -> bool:
        return bool(self.stages)

    def to_dict(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "stages": [s.to_dict() for s in self.stages]}


def trace(connection: Connection, message_id: str) -> Trace:
    t = tables.trace.c
    rows = connection.execute(select(tables.trace).where(t.message_id == message_id).order_by(t.id))
    stages = []
    for row in rows:
        try:
            step = Step(row.step)
        except ValueError:  # a step a newer version wrote: skip rather than fail the trace
            continue
        stages.append((STEP_ORDER[step], row.at, row.id, step, row))
    stages.sort(key=lambda item: item[:3])
    return Trace(
        message_id,
        [
            TraceStage(
                step,
                VERDICTS[step],
                row.at,
                or_none(row.source_id),
                or_none(row.destination_id),
                or_none(row.mapping_id),
                or_none(row.reason),
                row.detail,
                decode(row.payload),
            )
            for _, _, _, step, row in stages
        ],
    )
