"""Send Group: `POST /v1/group` with `{userId, anonymousId, messageId, timestamp, groupId, context, traits}`."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field

from ._message import head, identity_fields, object_field, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        **head(payload),
        "groupId": payload["group_id"],
        "context": payload.get("context"),
        "traits": payload.get("traits", {}),
    }


perform, perform_batch = sender("group", build)

send_group = Action(
    title="Send Group",
    description="Send a group call (the user's company or account) to a Segment-compatible Tracking API.",
    default_subscription='type = "group"',
    fields={
        **identity_fields(),
        "group_id": Field(label="Group ID", description="The group's unique id.", required=True,
                          default={"@path": "$.groupId"}),
        "traits": object_field("Group Traits", "$.traits"),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
