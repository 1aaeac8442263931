"""Track Event (v1, legacy): `POST /users/v1/individual/<uid>/customevent?integration=segment`.

Body `{"event": {event_name, event_data, timestamp, use_recent_session, session_url}}`;
v1 needs type-suffixed property names (`price_real`), so they are inferred from values.
Kept for instances set up before V2; the presets use Track Event V2.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, RequestClient, Response

from ._common import iso_timestamp, user_path
from ._fields import event_fields
from ._properties import normalize_property_names


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    event: dict[str, Any] = {
        "event_name": payload["name"],
        "event_data": normalize_property_names(payload.get("properties"), type_suffix=True),
        "timestamp": iso_timestamp(payload.get("timestamp")),
        "use_recent_session": True if payload.get("useRecentSession") else None,  # false is read as true
        "session_url": payload.get("sessionUrl"),
    }
    body = {"event": {key: value for key, value in event.items() if value is not None}}
    return await request(user_path(payload["userId"], "customevent"), method="POST", json=body)


track_event = Action(
    title="Track Event",
    description="Send a custom event to FullStory (legacy v1 API).",
    default_subscription='type = "track"',
    fields=event_fields(user_required=True),
    perform=perform,
)
