"""Track Page View: a person entity with action `page`, named by the page's URL.

https://docs.customer.io/api/track/#operation/entity (person `page`). Customer.io
names a page view by its URL, so `name` is the URL (required); `id` (the event id)
is sent only when there is one.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import (
    anonymous_id_field,
    batching_fields,
    data_field,
    event_id_field,
    person_entity,
    person_id_field,
    send_batch,
    send_entity,
    timestamp_field,
)


def entity(payload: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "name": payload["url"],
        "id": payload.get("event_id"),
        "attributes": payload.get("data"),
    }
    return person_entity("page", payload, fields, person_id=payload.get("id"))


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_entity(request, entity(payload))


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    return await send_batch(request, [entity(payload) for payload in payloads])


track_page_view = Action(
    title="Track Page View",
    description="Track a page view for a known or anonymous person.",
    default_subscription='type = "page"',
    fields={
        "id": person_id_field({"@path": "$.userId"}),
        "anonymous_id": anonymous_id_field(),
        "event_id": event_id_field(),
        "url": Field(
            label="Page URL",
            description="The URL of the page visited.",
            type="string",
            required=True,
            default={"@path": "$.properties.url"},
        ),
        "timestamp": timestamp_field(
            "A timestamp of when the event took place. Default is current date and time."
        ),
        "data": data_field(),
        **batching_fields(),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=50,
    max_batch_size=100,
)
