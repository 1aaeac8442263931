"""Identify Contact: update the contact found by external id or email, or create one.

`POST /contacts/search`, then `PUT /contacts/<id>` for a unique match or `POST
/contacts` otherwise, both with `{"role", "external_id", "email", "phone", "name",
"avatar", "signed_up_at", "last_seen_at", "owner_id", "unsubscribed_from_emails",
"custom_attributes"}` (dates as unix seconds). A 409 means the contact exists but the
search index has not caught up yet: it is retried. Without an external id or email
there is nothing to search by, so the contact is created straight away (Segment searches
for an undefined email, which Intercom refuses).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, APIError, Field, RequestClient, Response, RetryableError

from ._common import find_contact_id, unix_seconds

CONTACT_KEYS = (
    "role",
    "external_id",
    "email",
    "phone",
    "name",
    "avatar",
    "signed_up_at",
    "last_seen_at",
    "owner_id",
    "unsubscribed_from_emails",
    "custom_attributes",
)
DATE_KEYS = ("signed_up_at", "last_seen_at")


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    contact = {key: payload[key] for key in CONTACT_KEYS if key in payload}
    for key in DATE_KEYS:
        if key in contact:
            contact[key] = unix_seconds(contact[key])
    contact_id = await find_contact_id(request, payload.get("external_id"), payload.get("email"))
    try:
        if contact_id:
            return await request(f"/contacts/{contact_id}", method="PUT", json=contact)
        return await request("/contacts", method="POST", json=contact)
    except APIError as exc:
        if exc.status == 409:
            raise RetryableError(
                "Intercom reports the contact exists but its search has not caught up yet", 409
            ) from exc
        raise


identify_contact = Action(
    title="Identify Contact",
    description="Create or update a contact (user or lead) in Intercom.",
    default_subscription='type = "identify"',
    fields={
        "role": Field(
            label="Role",
            description="Whether the contact is a user (signed up) or a lead.",
            required=True,
            choices=("lead", "user"),
        ),
        "external_id": Field(
            label="External ID", description="Your unique id for the contact.", default={"@path": "$.userId"}
        ),
        "email": Field(
            label="Email Address",
            description="The contact's email.",
            format="email",
            default={"@path": "$.traits.email"},
        ),
        "phone": Field(label="Phone Number", description="The contact's phone number.", default={"@path": "$.traits.phone"}),
        "name": Field(label="Name", description="The contact's name.", default={"@path": "$.traits.name"}),
        "avatar": Field(
            label="Avatar",
            description="The URL of an image of the contact.",
            format="uri",
            default={"@path": "$.traits.avatar"},
        ),
        "signed_up_at": Field(label="Signed Up Timestamp", description="When the contact signed up.", type="datetime"),
        "last_seen_at": Field(
            label="Last Seen Timestamp",
            description="When the contact was last seen.",
            type="datetime",
            default={"@path": "$.timestamp"},
        ),
        "owner_id": Field(label="Owner ID", description="The id of the admin who owns the contact.", type="number"),
        "unsubscribed_from_emails": Field(
            label="Unsubscribed From Emails",
            description="Whether the contact unsubscribed from emails.",
            type="boolean",
        ),
        "custom_attributes": Field(
            label="Custom Attributes",
            description="Custom attributes; each must already exist in Intercom.",
            type="object",
        ),
    },
    perform=perform,
)
