"""Send Track: `POST /v1/track` with `{userId, anonymousId, messageId, timestamp, event, context, properties}`."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field

from ._message import head, identity_fields, object_field, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        **head(payload),
        "event": payload["event_name"],
        "context": payload.get("context"),
        "properties": payload.get("properties", {}),
    }


perform, perform_batch = sender("track", build)

send_track = Action(
    title="Send Track",
    description="Send a track call (an action a user performed) to a Segment-compatible Tracking API.",
    default_subscription='type = "track"',
    fields={
        **identity_fields(),
        "event_name": Field(label="Event Name", description="The name of the action.", required=True,
                            default={"@path": "$.event"}),
        "properties": object_field("Properties", "$.properties"),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
