"""Track Event V2: `POST /v2/events` (https://developer.fullstory.com/server/events/create-event/).

Body `{name, properties, user: {uid}, timestamp, session}`. `session.id` is the last path
segment of a session URL (URL-decoded); `session.use_most_recent` is sent only when true,
because FullStory's API once treated `false` as `true` (Segment omits it for that reason).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from sluiceway.kit import Action, RequestClient, Response

from ._common import iso_timestamp
from ._fields import event_fields
from ._properties import normalize_property_names


def event_session(payload: dict[str, Any]) -> dict[str, Any] | None:
    session: dict[str, Any] = {}
    if payload.get("sessionUrl"):
        session["id"] = unquote(payload["sessionUrl"].rsplit("/", 1)[-1])
    if payload.get("useRecentSession"):
        session["use_most_recent"] = True
    return session or None


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    body: dict[str, Any] = {"name": payload["name"], "properties": normalize_property_names(payload.get("properties"))}
    if payload.get("userId"):
        body["user"] = {"uid": payload["userId"]}
    body["timestamp"] = iso_timestamp(payload.get("timestamp"))
    body["session"] = event_session(payload)
    return await request("/v2/events", method="POST", json={k: v for k, v in body.items() if v is not None})


track_event_v2 = Action(
    title="Track Event V2",
    description="Send a custom event to FullStory (server events API v2).",
    default_subscription='type = "track"',
    fields=event_fields(user_required=False),
    perform=perform,
)
