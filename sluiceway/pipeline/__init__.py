"""The router: everything between a queued event and its planned deliveries. No I/O."""

from __future__ import annotations

from .planned import (
    DELIVERIES_STREAM,
    EVENTS_STREAM,
    PlannedDelivery,
    deliveries_subject,
    events_subject,
)

__all__ = [
    "DELIVERIES_STREAM",
    "EVENTS_STREAM",
    "PlannedDelivery",
    "deliveries_subject",
    "events_subject",
]
