"""Send Alias: `POST /v1/alias` with `{userId, previousId, messageId, timestamp, context}`.

Segment's own destination has no alias action; the Tracking API documents one, so it is
here for forwarding merges of identities (previous id -> user id).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field

from ._message import message_fields, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "userId": payload["user_id"],
        "previousId": payload["previous_id"],
        "messageId": payload.get("message_id"),
        "timestamp": payload.get("timestamp"),
        "context": payload.get("context"),
    }


perform, perform_batch = sender("alias", build)

send_alias = Action(
    title="Send Alias",
    description="Send an alias call (merge a previous id into a user id) to a Segment-compatible Tracking API.",
    default_subscription='type = "alias"',
    fields={
        "user_id": Field(label="User ID", description="The user's new id.", required=True, default={"@path": "$.userId"}),
        "previous_id": Field(label="Previous ID", description="The user's previous id.", required=True,
                             default={"@path": "$.previousId"}),
        **message_fields(),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
