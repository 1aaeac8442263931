"""A queued delivery decoded: the queue's handle plus the planned delivery it carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from sluiceway.pipeline import PlannedDelivery
from sluiceway.queue import Delivery

# Written by a replay beside the PlannedDelivery fields (which `from_json` ignores),
# so a replayed delivery gets a fresh retry window without touching `received_at`.
REPLAYED_AT = "replayed_at"
_REQUIRED = ("destination_id", "mapping_id", "action", "payload")


@dataclass(frozen=True, slots=True)
class Message:
    delivery: Delivery
    planned: PlannedDelivery
    window_start: float

    @property
    def attempt(self) -> int:
        return self.delivery.attempt


def decode(delivery: Delivery) -> Message | None:
    """The message in `delivery`, or None when it is not a planned delivery."""
    try:
        data = orjson.loads(delivery.data)
    except orjson.JSONDecodeError:
        return None
    if not is_planned(data):
        return None
    planned = PlannedDelivery.from_json(data)
    return Message(delivery, planned, window_start(data, delivery.first_enqueued_at))


def is_planned(data: Any) -> bool:
    """Whether decoded JSON has what delivery needs from a PlannedDelivery."""
    if not isinstance(data, dict) or any(data.get(key) is None for key in _REQUIRED):
        return False
    return isinstance(data["payload"], dict)


def window_start(data: dict[str, Any], enqueued_at: float) -> float:
    """When the retry window opened: the replay if any, else when the event was received."""
    starts = [
        value for value in (data.get("received_at"), data.get(REPLAYED_AT)) if _is_time(value)
    ]
    return max(starts) if starts else enqueued_at


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
