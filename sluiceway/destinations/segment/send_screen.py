"""Send Screen: `POST /v1/screen` with `{userId, anonymousId, messageId, timestamp, name, context, properties}`."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field

from ._message import head, identity_fields, object_field, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        **head(payload),
        "name": payload.get("screen_name"),
        "context": payload.get("context"),
        "properties": payload.get("properties", {}),
    }


perform, perform_batch = sender("screen", build)

send_screen = Action(
    title="Send Screen",
    description="Send a screen call (a mobile app screen view) to a Segment-compatible Tracking API.",
    default_subscription='type = "screen"',
    fields={
        **identity_fields(),
        "screen_name": Field(label="Screen Name", description="The name of the screen.", default={"@path": "$.name"}),
        "properties": object_field("Properties", "$.properties"),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
