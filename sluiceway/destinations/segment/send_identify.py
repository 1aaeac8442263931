"""Send Identify: `POST /v1/identify` with `{userId, anonymousId, messageId, timestamp, context, traits}`."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action

from ._message import head, identity_fields, object_field, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {**head(payload), "context": payload.get("context"), "traits": payload.get("traits", {})}


perform, perform_batch = sender("identify", build)

send_identify = Action(
    title="Send Identify",
    description="Send an identify call (who the user is, and their traits) to a Segment-compatible Tracking API.",
    default_subscription='type = "identify"',
    fields={**identity_fields(), "traits": object_field("Traits", "$.traits")},
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
