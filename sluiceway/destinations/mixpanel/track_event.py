"""Track Event: `POST {host}/import?strict=1`, a JSON array of `{"event", "properties"}`.

https://developer.mixpanel.com/reference/import-events. /import (not /track) because it
takes events of any age, up to 2,000 per request, with Basic auth `<project secret>:`
(the project token when no secret is set). A single event is an array of one.

A batch is read back item by item: with strict=1 Mixpanel answers 400 listing the
`failed_records` and imports the rest, so only those items fail (not retried) while the
others are delivered. Segment does this only behind its `mixpanel-multistatus` flag;
the answer is Mixpanel's documented contract, so here it is always on.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import import_batch, import_events
from ._event_fields import EVENT_FIELDS
from ._properties import event_properties


def mixpanel_event(payload: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    return {"event": payload["event"], "properties": event_properties(payload, settings)}


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await import_events(request, [mixpanel_event(payload, settings)], settings)


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    events = [mixpanel_event(payload, settings) for payload in payloads]
    return await import_batch(request, events, range(len(payloads)), payloads, settings)


track_event = Action(
    title="Track Event",
    description=(
        "Send an event to Mixpanel. [Learn more about Events in Mixpanel]"
        "(https://help.mixpanel.com/hc/en-us/articles/360041995352-Mixpanel-Concepts-Events?source=segment-actions)"
    ),
    default_subscription='type = "track"',
    fields={
        "event": Field(
            label="Event Name",
            description="The name of the action being performed.",
            type="string",
            required=True,
            default={"@path": "$.event"},
        ),
        **EVENT_FIELDS,
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=1000,
    max_batch_size=2000,
)
