"""Send Page: `POST /v1/page` with `{userId, anonymousId, messageId, timestamp, name, category, context, properties}`."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field

from ._message import head, identity_fields, object_field, sender


def build(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        **head(payload),
        "name": payload.get("page_name"),
        "category": payload.get("page_category"),
        "context": payload.get("context"),
        "properties": payload.get("properties", {}),
    }


perform, perform_batch = sender("page", build)

send_page = Action(
    title="Send Page",
    description="Send a page call (a web page view) to a Segment-compatible Tracking API.",
    default_subscription='type = "page"',
    fields={
        **identity_fields(),
        "page_name": Field(label="Page Name", description="The name of the page.", default={"@path": "$.name"}),
        "page_category": Field(label="Page Category", description="The category of the page.",
                               default={"@path": "$.category"}),
        "properties": object_field("Properties", "$.properties"),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=100,
    max_batch_size=2500,
)
