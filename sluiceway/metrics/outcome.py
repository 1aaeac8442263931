"""What every stage reports about an event: one `Outcome` per (event, stage, verdict).

The steps are Delivery Overview's, in the order an event meets them. Ingest reports
RECEIVED or FAILED_ON_INGEST per source; the router reports ROUTED once per destination
the event reaches, FILTERED_AT_DESTINATION with a discard reason (once per destination:
a destination filter, the integrations object, or no mapping whose trigger matched),
and PLANNED for each mapping that produced a
delivery; delivery reports PENDING_RETRY, FAILED_DELIVERY or SUCCESSFUL_DELIVERY per
attempt outcome. Reason codes are Segment's (`FILTERED_BY_RULES`, `NO_MATCHING_MAPPING`,
`PAYLOAD_VALIDATION_FAILED`, a vendor status such as `429`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Step(StrEnum):
    RECEIVED = "received"
    FAILED_ON_INGEST = "failed_on_ingest"
    ROUTED = "routed"
    FILTERED_AT_DESTINATION = "filtered_at_destination"
    PLANNED = "planned"
    PENDING_RETRY = "pending_retry"
    FAILED_DELIVERY = "failed_delivery"
    SUCCESSFUL_DELIVERY = "successful_delivery"


STEP_ORDER: dict[Step, int] = {step: index for index, step in enumerate(Step)}

# What each step says about the event, in the words a trace and the debugger show.
VERDICTS: dict[Step, str] = {
    Step.RECEIVED: "accepted",
    Step.FAILED_ON_INGEST: "rejected",
    Step.ROUTED: "routed",
    Step.FILTERED_AT_DESTINATION: "discarded",
    Step.PLANNED: "planned",
    Step.PENDING_RETRY: "retrying",
    Step.FAILED_DELIVERY: "failed",
    Step.SUCCESSFUL_DELIVERY: "delivered",
}


@dataclass(slots=True)
class Outcome:
    """One verdict about one event at one stage; read-only by convention.

    Not a frozen dataclass: every event makes three or four of these, and a frozen
    one's `__init__` (`object.__setattr__` per field) cost about 3 µs per event over
    the stages of bench/stages.py.

    `sample` is the payload as the stage saw it (the event, the mapped payload, the
    request and response): it feeds the per-reason samples and the per-event trace.
    """

    step: Step
    at: float
    source_id: str | None = None
    destination_id: str | None = None
    mapping_id: str | None = None
    reason: str | None = None
    message_id: str | None = None
    event_type: str | None = None
    event_name: str | None = None
    detail: str | None = None
    sample: Any = None


class Recorder(Protocol):
    """Where stages send outcomes. `record` must not block: implementations buffer."""

    def record(self, outcomes: Iterable[Outcome]) -> None: ...


class NullRecorder:
    """Discards everything: for library use and tests that do not look at metrics."""

    def record(self, outcomes: Iterable[Outcome]) -> None:
        for _ in outcomes:
            pass


class ListRecorder:
    """Keeps every outcome in memory, in order: for tests and the event tester."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []

    def record(self, outcomes: Iterable[Outcome]) -> None:
        self.outcomes.extend(outcomes)
