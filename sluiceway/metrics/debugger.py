"""The source debugger: the latest events a source sent, as ingest judged them.

Each source keeps its newest entries (200 by default), accepted or rejected, with the
event as it was stored (or as it was sent, for a rejected one). The search is a
case-insensitive substring match over the event's compact JSON text
(`"event":"Order Completed"`, with no spaces), which is also how `messageId` or a
user id is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from . import _schema as tables
from ._query import MAX_QUERY_LENGTH, decode, or_none
from .outcome import VERDICTS, Step
from .timerange import iso


@dataclass(frozen=True, slots=True)
class DebuggerEntry:
    id: int
    source_id: str
    at: float
    step: Step
    verdict: str
    message_id: str | None
    event_type: str | None
    event_name: str | None
    reason: str | None
    detail: str | None
    event: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "at": iso(self.at),
            "step": str(self.step),
            "verdict": self.verdict,
            "message_id": self.message_id,
            "event_type": self.event_type,
            "event_name": self.event_name,
            "reason": self.reason,
            "detail": self.detail,
            "event": self.event,
        }


def check_search(limit: object, query: object, most: int) -> tuple[int, str | None]:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
        raise ValueError(f"limit: must be an integer from 1 to {most}")
    if query is None:
        return limit, None
    if not isinstance(query, str) or not query or len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"query: must be a string of 1 to {MAX_QUERY_LENGTH} characters")
    return limit, query


def recent_events(connection: Connection, source_id: str, limit: int, query: str | None) -> list[DebuggerEntry]:
    d = tables.debugger.c
    statement = select(tables.debugger).where(d.source_id == source_id)
    if query is not None:
        statement = statement.where(d.payload.icontains(query, autoescape=True))
    rows = connection.execute(statement.order_by(d.at.desc(), d.id.desc()).limit(limit))
    return [
        DebuggerEntry(
            row.id,
            row.source_id,
            row.at,
            Step(row.step),
            VERDICTS[Step(row.step)],
            or_none(row.message_id),
            or_none(row.event_type),
            or_none(row.event_name),
            or_none(row.reason),
            row.detail,
            decode(row.payload),
        )
        for row in rows
    ]
