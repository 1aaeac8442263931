"""Track Event: `POST {endpoint}/users/track` with `{"events": [event]}`.

https://www.braze.com/docs/api/objects_filters/event_object/. An event object is the
user's identifiers, `app_id` (setting), `name`, `time` (ISO 8601), `properties` and
`_update_existing_only`. `time` defaults to `receivedAt`, as Segment ships it. A batch
is one request whose `events` array holds up to 75 objects; Braze's per-index `errors`
mark only those items failed.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import (
    MAX_BATCH_SIZE,
    MISSING_IDENTIFIER,
    batching_fields,
    braze_id_field,
    email_field,
    external_id_field,
    identifiers,
    iso8601,
    require_identifiers,
    track,
    track_batch,
    user_alias_field,
    without_none,
)


def event_object(
    ids: dict[str, Any], payload: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    return without_none(
        {
            **ids,
            "app_id": settings.get("app_id"),
            "name": payload["name"],
            "time": iso8601(payload.get("time")),
            "properties": payload.get("properties"),
            "_update_existing_only": payload.get("_update_existing_only"),
        }
    )


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    ids = require_identifiers(payload)
    return await track(request, "events", [event_object(ids, payload, settings)])


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    statuses = MultiStatus()
    objects: list[dict[str, Any]] = []
    owners: list[int] = []
    for index, payload in enumerate(payloads):
        ids = identifiers(payload)
        if ids is None:
            statuses.set_error(
                index, status=400, message=MISSING_IDENTIFIER, code="PAYLOAD_VALIDATION_FAILED"
            )
            continue
        sent = event_object(ids, payload, settings)
        objects.append(sent)
        owners.append(index)
        statuses.set_success(index, sent=sent, body="success")
    return await track_batch(request, "events", objects, owners, statuses)


track_event = Action(
    title="Track Event",
    description="Record custom events in Braze",
    default_subscription='type = "track" and event != "Order Completed"',
    fields={
        "external_id": external_id_field(),
        "user_alias": user_alias_field(),
        "email": email_field(
            {
                "@if": {
                    "exists": {"@path": "$.context.traits.email"},
                    "then": {"@path": "$.context.traits.email"},
                    "else": {"@path": "$.properties.email"},
                }
            }
        ),
        "braze_id": braze_id_field(),
        "name": Field(
            label="Event Name",
            description="The event name",
            type="string",
            required=True,
            default={"@path": "$.event"},
        ),
        "time": Field(
            label="Time",
            description="When the event occurred.",
            type="datetime",
            required=True,
            default={"@path": "$.receivedAt"},
        ),
        "properties": Field(
            label="Event Properties",
            description="Properties of the event",
            type="object",
            default={"@path": "$.properties"},
        ),
        **batching_fields(),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=MAX_BATCH_SIZE,
    max_batch_size=MAX_BATCH_SIZE,
)
