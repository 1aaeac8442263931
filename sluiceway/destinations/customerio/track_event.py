"""Track Event: a person entity with action `event`.

https://docs.customer.io/api/track/#operation/entity (person `event`). Body:
`{"type": "person", "action": "event", "name", "id" (the event id, messageId, which
Customer.io uses to deduplicate), "attributes" (the properties), "timestamp",
"identifiers"}`. An anonymous event is identified by `anonymous_id`; a known person's
event also carries the anonymous id among its attributes.
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

# The events other Customer.io actions handle (devices, deletions, suppressions, reports).
OTHER_ACTIONS_EVENTS = (
    "Application Installed",
    "Application Opened",
    "Application Uninstalled",
    "Device Created or Updated",
    "Device Deleted",
    "Relationship Deleted",
    "User Deleted",
    "User Suppressed",
    "User Unsuppressed",
    "Object Deleted",
    "Report Delivery Event",
    "Report Content Event",
)
SUBSCRIPTION = 'type = "track"' + "".join(
    f' and event != "{name}"' for name in OTHER_ACTIONS_EVENTS
)


def entity(payload: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "name": payload["name"],
        "id": payload.get("event_id"),
        "attributes": payload.get("data"),
    }
    return person_entity("event", payload, fields, person_id=payload.get("id"))


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_entity(request, entity(payload))


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    return await send_batch(request, [entity(payload) for payload in payloads])


track_event = Action(
    title="Track Event",
    description="Track an event for a known or anonymous person.",
    default_subscription=SUBSCRIPTION,
    fields={
        "id": person_id_field({"@path": "$.userId"}),
        "anonymous_id": anonymous_id_field(),
        "name": Field(
            label="Event Name",
            description="The name of the event.",
            type="string",
            required=True,
            default={"@path": "$.event"},
        ),
        "event_id": event_id_field(),
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
