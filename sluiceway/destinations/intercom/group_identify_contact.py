"""Identify Company: create or update a company, and attach the contact to it.

`POST /companies` creates the company or updates the one with the same `company_id`,
with `{"remote_created_at", "company_id", "name", "monthly_spend", "plan", "size",
"website", "industry", "custom_attributes"}`; Intercom answers with the company, whose
`id` is attached to the contact with `POST /contacts/<contact id>/companies {"id"}`.

The contact is the mapped Contact ID when there is one, else the unique contact found
by external id or email (Segment always searches and ignores Contact ID; using it saves
a search and is what the field is for). No contact found: the company is still saved.
`remote_created_at` is sent as unix seconds, the type Intercom documents.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._common import find_contact_id, unix_seconds

COMPANY_KEYS = (
    "remote_created_at",
    "company_id",
    "name",
    "monthly_spend",
    "plan",
    "size",
    "website",
    "industry",
    "custom_attributes",
)


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    contact_id = payload.get("contact_id") or await find_contact_id(
        request, payload.get("external_id"), payload.get("email")
    )
    company = {key: payload[key] for key in COMPANY_KEYS if key in payload}
    if "remote_created_at" in company:
        company["remote_created_at"] = unix_seconds(company["remote_created_at"])
    response = await request("/companies", method="POST", json=company)
    if contact_id:
        await request(f"/contacts/{contact_id}/companies", method="POST", json={"id": response.data["id"]})
    return response


group_identify_contact = Action(
    title="Identify Company",
    description="Create or update a company in Intercom and attach the contact to it.",
    default_subscription='type = "group"',
    fields={
        "remote_created_at": Field(
            label="Company Creation Time",
            description="When the company was created in your system.",
            type="datetime",
            default={"@path": "$.traits.createdAt"},
        ),
        "external_id": Field(
            label="External ID",
            description="Your unique id for the contact to attach to the company.",
            default={"@path": "$.userId"},
        ),
        "email": Field(
            label="Email Address",
            description="The email of the contact to attach, used when there is no external id.",
            format="email",
            default={"@path": "$.traits.email"},
        ),
        "company_id": Field(
            label="Company ID",
            description="Your unique id for the company.",
            required=True,
            default={"@path": "$.groupId"},
        ),
        "contact_id": Field(label="Contact ID", description="Intercom's id of the contact to attach."),
        "name": Field(label="Company Name", description="The company's name.", default={"@path": "$.traits.name"}),
        "monthly_spend": Field(
            label="Monthly Spend",
            description="How much revenue the company brings each month.",
            type="number",
            default={"@path": "$.traits.monthly_spend"},
        ),
        "plan": Field(label="Company Plan", description="The company's plan.", default={"@path": "$.traits.plan"}),
        "size": Field(
            label="Company Size",
            description="The number of employees.",
            type="number",
            default={"@path": "$.traits.employees"},
        ),
        "website": Field(
            label="Company Website", description="The company's website.", default={"@path": "$.traits.website"}
        ),
        "industry": Field(label="Industry", description="The company's industry.", default={"@path": "$.traits.industry"}),
        "custom_attributes": Field(
            label="Custom Attributes",
            description="Custom company attributes; each must already exist in Intercom.",
            type="object",
        ),
    },
    perform=perform,
)
