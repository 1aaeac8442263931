"""Send Custom Behavioral Event: `POST /events/v3/send` (HubSpot answers 204 No Content).

Body `{"eventName", "occurredAt", "utk", "email", "objectId", "properties"}`; the event
is attached to the contact named by email, user token (`utk`) or object id, so one of
them is required. `eventName` is the event's fully qualified internal name,
`pe<Hub ID>_<name>`: whitespace and dots become `_` and the name is lower-cased, as
HubSpot writes internal names. `occurredAt` passes through unchanged.

Segment sends `"properties": {}` when none are mapped; HubSpot documents the key as
optional, so it is left out.
"""

from __future__ import annotations

import re
from typing import Any

from sluiceway.kit import Action, Field, PayloadValidationError, RequestClient, Response

from ._common import flatten_properties, without_missing

_SEPARATORS = re.compile(r"[\s.]+")
_ANY_PORTAL_PREFIX = re.compile(r"^pe\d+_")
IDENTIFIERS = ("email", "utk", "objectId")


def qualified_event_name(name: str, portal_id: str | None) -> str:
    """`name` as HubSpot's internal event name; refused unless it has the pe<Hub ID>_ prefix."""
    qualified = _SEPARATORS.sub("_", name).lower()
    if portal_id:
        prefix = f"pe{portal_id}_"
        if not qualified.startswith(prefix):
            raise PayloadValidationError(
                f"Event name {qualified} must start with {prefix}.", field="eventName", rule="pattern"
            )
    elif not _ANY_PORTAL_PREFIX.match(qualified):
        raise PayloadValidationError(
            f"Event name {qualified} must start with pe<Hub ID>_.", field="eventName", rule="pattern"
        )
    return qualified


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any
) -> Response:
    if not any(payload.get(key) for key in IDENTIFIERS):
        raise PayloadValidationError(
            "One of the following parameters is required: email, utk, objectId.", field="email", rule="required"
        )
    event = {
        "eventName": qualified_event_name(payload["eventName"], settings.get("portalId")),
        "occurredAt": payload.get("occurredAt"),
        "utk": payload.get("utk"),
        "email": payload.get("email"),
        "objectId": payload.get("objectId"),
        "properties": flatten_properties(payload["properties"]) if "properties" in payload else None,
    }
    return await request("/events/v3/send", method="POST", json=without_missing(event))


send_custom_behavioral_event = Action(
    title="Send Custom Behavioral Event",
    description="Send a custom behavioral event to HubSpot (Marketing Hub Enterprise).",
    default_subscription='type = "track"',
    fields={
        "eventName": Field(
            label="Event Name",
            description="The internal name of the event in HubSpot, e.g. pe123456_product_viewed.",
            type="string",
            required=True,
        ),
        "occurredAt": Field(
            label="Event Timestamp",
            description="When the event occurred; HubSpot uses the time it receives the event when empty.",
            type="datetime",
            default={"@path": "$.timestamp"},
        ),
        "email": Field(
            label="Email Address",
            description="The email of the contact the event belongs to.",
            type="string",
            format="email",
            default={
                "@if": {
                    "exists": {"@path": "$.properties.email"},
                    "then": {"@path": "$.properties.email"},
                    "else": {"@path": "$.context.traits.email"},
                }
            },
        ),
        "utk": Field(
            label="User Token",
            description="The HubSpot tracking cookie (hubspotutk) of the contact the event belongs to.",
            type="string",
        ),
        "objectId": Field(
            label="Object ID",
            description="The id of the HubSpot object (contact, company, ...) the event belongs to.",
            type="string",
        ),
        "properties": Field(
            label="Event Properties",
            description="Event properties by their HubSpot internal names. Lists are sent ;-separated.",
            type="object",
        ),
    },
    perform=perform,
)
