"""Track Event: `POST /events` (Intercom answers 202 Accepted).

Body `{"event_name", "created_at", "user_id", "email", "id", "metadata"}` with
`created_at` in unix seconds. Intercom files the event under the contact named by
`user_id` (external id), `id` or `email`; when only an email is mapped, the contact is
looked up first and its `id` sent, and an email that names no single contact fails for
good (404). `metadata.email` is dropped (the contact already says it). Revenue becomes
Intercom's monetary metadata, `price: {"amount": <cents>, "currency"}` (USD by
default), and the raw revenue/currency keys leave the metadata.

Segment multiplies revenue by 100 and sends the float (19.99 -> 1998.9999999999998);
Intercom documents the amount in cents, so it is rounded (as Math.round) to whole cents.
"""

from __future__ import annotations

import math
from typing import Any

from sluiceway.kit import Action, Field, IntegrationError, RequestClient, Response

from ._common import find_contact_id, unix_seconds

# Segment's code here is the text "Contact not found"; ours is an upper-case name.
CONTACT_NOT_FOUND = "CONTACT_NOT_FOUND"


def _metadata(payload: dict[str, Any]) -> dict[str, Any] | None:
    if "metadata" not in payload and payload.get("revenue") is None:
        return None
    metadata = {k: v for k, v in (payload.get("metadata") or {}).items() if k not in ("email", "revenue", "currency")}
    if payload.get("revenue") is not None:
        metadata["price"] = {"amount": math.floor(payload["revenue"] * 100 + 0.5), "currency": payload.get("currency") or "USD"}
    return metadata


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    contact_id = payload.get("id")
    if not payload.get("user_id") and not contact_id and payload.get("email"):
        contact_id = await find_contact_id(request, None, payload["email"])
        if contact_id is None:
            raise IntegrationError("No unique contact found", CONTACT_NOT_FOUND, 404)
    event = {
        "event_name": payload["event_name"],
        "created_at": unix_seconds(payload["created_at"]),
        "user_id": payload.get("user_id"),
        "email": payload.get("email"),
        "id": contact_id,
        "metadata": _metadata(payload),
    }
    return await request("/events", method="POST", json={k: v for k, v in event.items() if v is not None})


track_event = Action(
    title="Track Event",
    description="Record an event against an Intercom contact.",
    default_subscription='type = "track"',
    fields={
        "event_name": Field(
            label="Event Name", description="The name of the event.", required=True, default={"@path": "$.event"}
        ),
        "created_at": Field(
            label="Event Timestamp",
            description="When the event happened.",
            type="datetime",
            required=True,
            default={"@path": "$.timestamp"},
        ),
        "user_id": Field(
            label="User ID", description="Your unique id (external id) for the contact.", default={"@path": "$.userId"}
        ),
        "email": Field(
            label="Email Address",
            description="The contact's email; used to find the contact when there is no user id.",
            format="email",
            default={"@path": "$.properties.email"},
        ),
        "revenue": Field(
            label="Revenue",
            description="The amount of the event, in the currency's main unit (sent to Intercom in cents).",
            type="number",
            default={"@path": "$.properties.revenue"},
        ),
        "currency": Field(
            label="Currency",
            description="The ISO 4217 currency of the revenue; USD when empty.",
            default={"@path": "$.properties.currency"},
        ),
        "id": Field(label="Contact ID", description="Intercom's id of the contact."),
        "metadata": Field(
            label="Event Metadata",
            description="Up to 10 flat key/value pairs describing the event.",
            type="object",
            default={"@path": "$.properties"},
        ),
    },
    perform=perform,
)
