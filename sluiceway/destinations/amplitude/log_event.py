"""Log Event (legacy): one event to Amplitude's HTTP V2 API (`POST /2/httpapi`).

Kept for mappings made before Log Event V2. Instead of Set Once / Set Always / Add it
has UTM Properties and Referrer: when a UTM parameter or the referrer is present they
go into `user_properties.$set`, and with an `initial_` prefix into `$setOnce` (first
touch). Everything else, including the batch endpoint switch, is Log Event V2's.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, RequestClient, Response

from ._event import (
    REVENUE_KEYS,
    add_utm_and_referrer,
    event_library,
    mapped_properties,
    with_user_agent,
)
from ._fields import EVENT_SCHEMA, LEGACY_EVENT_EXTRAS
from ._requests import send_events


def build_event(payload: dict[str, Any]) -> dict[str, Any]:
    properties = mapped_properties(payload, drop=REVENUE_KEYS)
    add_utm_and_referrer(properties, payload)
    event = with_user_agent(payload, properties)
    library = event_library(payload)
    if library is not None:
        event["library"] = library
    return event


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_events(request, payload, settings, [build_event(payload)])


log_event = Action(
    title="Log Event",
    description="Send an event to Amplitude.",
    default_subscription='type = "track"',
    fields={**EVENT_SCHEMA, **LEGACY_EVENT_EXTRAS},
    perform=perform,
)
