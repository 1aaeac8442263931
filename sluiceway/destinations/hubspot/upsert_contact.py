"""Upsert Contact: update a HubSpot contact by email, or create it.

One event: `PATCH /crm/v3/objects/contacts/<email>?idProperty=email` with
`{"properties": {...}}` (the email goes into the path as it is, as in Segment); a 404
means no such contact, so the same body is `POST`ed to `/crm/v3/objects/contacts`.
HubSpot will not move a lifecycle stage backwards and silently keeps the old one: when
the stage in the answer is not the one asked for, the stage is cleared (`""`) and the
properties are sent again.

A batch (opt-in, at most 100, HubSpot's batch limit): `batch/read` by email (matching
primary and additional emails), `batch/create` for the contacts not found,
`batch/update` by HubSpot id for the others, then the same two-step lifecycle-stage fix
for the updated contacts whose stage did not take. A read error other than
OBJECT_NOT_FOUND fails the batch (400, as in Segment).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import (
    Action,
    APIError,
    Field,
    IntegrationError,
    MultiStatus,
    RequestClient,
    Response,
)

from ._common import flatten_properties, trimmed, without_missing

CONTACTS = "/crm/v3/objects/contacts"
MAX_BATCH_SIZE = 100
NAMED_PROPERTIES = ("company", "firstname", "lastname", "phone", "address", "city", "state", "country", "zip")


def contact_properties(payload: dict[str, Any]) -> dict[str, Any]:
    """HubSpot contact properties: the named fields, then the flattened `properties`."""
    named = {key: payload.get(key) for key in NAMED_PROPERTIES}
    named["email"] = payload["email"]
    named["website"] = payload.get("website")
    named["lifecyclestage"] = payload["lifecyclestage"].lower() if payload.get("lifecyclestage") else None
    properties = {key: trimmed(value) for key, value in without_missing(named).items()}
    properties.update(flatten_properties(payload.get("properties")))
    return properties


def _stage_of(record: Any) -> Any:
    return ((record or {}).get("properties") or {}).get("lifecyclestage")


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    properties = contact_properties(payload)
    by_email = f"{CONTACTS}/{payload['email']}?idProperty=email"
    try:
        response = await request(by_email, method="PATCH", json={"properties": properties})
    except APIError as exc:
        if exc.status != 404:
            raise
        response = await request(CONTACTS, method="POST", json={"properties": properties})
    stage = properties.get("lifecyclestage")
    if stage and _stage_of(response.data) != stage:
        await request(by_email, method="PATCH", json={"properties": {"lifecyclestage": ""}})
        response = await request(by_email, method="PATCH", json={"properties": properties})
    return response


async def _read_by_email(request: RequestClient, emails: list[str]) -> dict[str, dict[str, Any]]:
    """HubSpot records by lower-cased email (primary or additional) for these emails."""
    body = {
        "properties": ["email", "lifecyclestage", "hs_additional_emails"],
        "idProperty": "email",
        "inputs": [{"id": email} for email in emails],
    }
    data = (await request(f"{CONTACTS}/batch/read", method="POST", json=body)).data or {}
    for error in data.get("errors") or []:
        if error.get("category") != "OBJECT_NOT_FOUND":
            raise IntegrationError(error.get("message") or "Batch read failed", error.get("category"), 400)
    found: dict[str, dict[str, Any]] = {}
    for record in data.get("results") or []:
        props = record.get("properties") or {}
        for email in [props.get("email") or "", *(props.get("hs_additional_emails") or "").split(";")]:
            if email.strip().lower() in emails:
                found[email.strip().lower()] = record
    return found


async def _fix_stages(request: RequestClient, updated: list[dict[str, Any]], answer: Any) -> None:
    """Clear, then set again, the lifecycle stages HubSpot refused to move backwards."""
    applied = {record.get("id"): _stage_of(record) for record in (answer or {}).get("results") or []}
    refused = {
        item["id"]: item["properties"]["lifecyclestage"]
        for item in updated
        if item["properties"].get("lifecyclestage") and applied.get(item["id"]) != item["properties"]["lifecyclestage"]
    }
    if not refused:
        return
    cleared = [{"id": id_, "properties": {"lifecyclestage": ""}} for id_ in refused]
    await request(f"{CONTACTS}/batch/update", method="POST", json={"inputs": cleared})
    wanted = [{"id": id_, "properties": {"lifecyclestage": stage}} for id_, stage in refused.items()]
    await request(f"{CONTACTS}/batch/update", method="POST", json={"inputs": wanted})


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: Any
) -> MultiStatus:
    wanted = {payload["email"].lower(): contact_properties(payload) for payload in payloads}
    found = await _read_by_email(request, list(wanted))
    ids = {email: record["id"] for email, record in found.items()}
    new = [email for email in wanted if email not in found]
    if new:
        answer = await request(
            f"{CONTACTS}/batch/create", method="POST", json={"inputs": [{"properties": wanted[e]} for e in new]}
        )
        for record in (answer.data or {}).get("results") or []:
            ids[str((record.get("properties") or {}).get("email", "")).lower()] = record.get("id")
    if found:
        updated = [
            {"id": record["id"], "properties": {k: v for k, v in wanted[email].items() if k != "email"}}
            for email, record in found.items()
        ]
        answer = await request(f"{CONTACTS}/batch/update", method="POST", json={"inputs": updated})
        await _fix_stages(request, updated, answer.data)
    statuses = MultiStatus()
    for payload in payloads:
        email = payload["email"].lower()
        statuses.push_success(body={"id": ids.get(email), "action": "update" if email in found else "create"})
    return statuses


def _traits_or(first: str, second: str) -> dict[str, Any]:
    return {"@if": {"exists": {"@path": first}, "then": {"@path": first}, "else": {"@path": second}}}


upsert_contact = Action(
    title="Upsert Contact",
    description="Create or update a contact in HubSpot, found by email.",
    default_subscription='type = "identify"',
    fields={
        "email": Field(
            label="Email",
            description="The contact's email; HubSpot finds the contact by it.",
            type="string",
            required=True,
            format="email",
            default={"@path": "$.traits.email"},
        ),
        "company": Field(label="Company Name", description="The contact's company.", default={"@path": "$.traits.company"}),
        "firstname": Field(
            label="First Name",
            description="The contact's first name.",
            default=_traits_or("$.traits.first_name", "$.traits.firstName"),
        ),
        "lastname": Field(
            label="Last Name",
            description="The contact's last name.",
            default=_traits_or("$.traits.last_name", "$.traits.lastName"),
        ),
        "phone": Field(label="Phone", description="The contact's phone number.", default={"@path": "$.traits.phone"}),
        "address": Field(
            label="Street Address", description="The contact's street address.", default={"@path": "$.traits.address.street"}
        ),
        "city": Field(label="City", description="The contact's city.", default={"@path": "$.traits.address.city"}),
        "state": Field(label="State", description="The contact's state or region.", default={"@path": "$.traits.address.state"}),
        "country": Field(label="Country", description="The contact's country.", default={"@path": "$.traits.address.country"}),
        "zip": Field(
            label="Postal Code",
            description="The contact's postal code.",
            default=_traits_or("$.traits.address.postalCode", "$.traits.address.postal_code"),
        ),
        "website": Field(label="Website", description="The contact's website.", default={"@path": "$.traits.website"}),
        "lifecyclestage": Field(
            label="Lifecycle Stage",
            description="The contact's lifecycle stage (internal name, e.g. lead or customer).",
        ),
        "properties": Field(
            label="Other properties",
            description="Other contact properties by their HubSpot internal names. Lists are sent ;-separated.",
            type="object",
        ),
        "enable_batching": Field(
            label="Send Batch Data to HubSpot",
            description="Send contacts to HubSpot's batch endpoints, up to 100 at a time.",
            type="boolean",
            default=False,
        ),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=MAX_BATCH_SIZE,
    max_batch_size=MAX_BATCH_SIZE,
)
