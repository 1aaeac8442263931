"""Create or Update Person: a person entity with action `identify`.

https://docs.customer.io/api/track/#operation/entity (person `identify`). The traits
become `attributes`; `created_at` and `email` are set from their own fields, and the
trait keys those fields (and the object relationship) were read from are removed. A
trait `objectId` also relates the person to that object (`cio_relationships`, object
type "1" unless `object_type_id` says otherwise).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import (
    anonymous_id_field,
    batching_fields,
    person_entity,
    person_id_field,
    send_batch,
    send_entity,
    timestamp_field,
)

MOVED_TRAITS = (
    "createdAt",
    "created_at",
    "object_type_id",
    "relationshipAttributes",
    "objectTypeId",
)


def _exists_else(first: str, second: str) -> dict[str, Any]:
    return {
        "@if": {"exists": {"@path": first}, "then": {"@path": first}, "else": {"@path": second}}
    }


def entity(payload: dict[str, Any]) -> dict[str, Any]:
    attributes = {
        k: v for k, v in (payload.get("custom_attributes") or {}).items() if k not in MOVED_TRAITS
    }
    if payload.get("created_at"):
        attributes["created_at"] = payload["created_at"]
    if payload.get("email"):
        attributes["email"] = payload["email"]
    relationships = None
    if payload.get("group_id"):
        relationship: dict[str, Any] = {
            "identifiers": {
                "object_type_id": payload.get("object_type_id", "1"),
                "object_id": payload["group_id"],
            }
        }
        if payload.get("relationship_attributes"):
            relationship["relationship_attributes"] = payload["relationship_attributes"]
        relationships = [relationship]
    fields = {"attributes": attributes, "cio_relationships": relationships}
    return person_entity(
        "identify", payload, fields, person_id=payload.get("id"), email=payload.get("email")
    )


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_entity(request, entity(payload))


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    return await send_batch(request, [entity(payload) for payload in payloads])


create_update_person = Action(
    title="Create or Update Person",
    description="Create a person in Customer.io or update them if they exist.",
    default_subscription='type = "identify"',
    fields={
        "id": person_id_field(_exists_else("$.userId", "$.traits.email")),
        "anonymous_id": Field(
            label="Anonymous ID",
            description=(
                "An optional anonymous ID. This is used to tie anonymous events to this person. "
                "[Learn more](https://customer.io/docs/anonymous-events/)."
            ),
            type="string",
            default=anonymous_id_field().default,
        ),
        "email": Field(
            label="Email Address",
            description="The person's email address.",
            type="string",
            default={"@template": "{{traits.email}}"},
        ),
        "created_at": Field(
            label="Created At",
            description="A timestamp of when the person was created.",
            type="string",
            default=_exists_else("$.traits.created_at", "$.traits.createdAt"),
        ),
        "group_id": Field(
            label="Object ID",
            description=(
                "The ID used to uniquely identify an object in Customer.io. [Learn more]"
                "(https://customer.io/docs/object-relationships)."
            ),
            type="string",
            default={"@path": "$.traits.objectId"},
        ),
        "custom_attributes": Field(
            label="Person Attributes",
            description=(
                "Optional attributes for the person. When updating a person, attributes are "
                "added or updated, not removed."
            ),
            type="object",
            default={"@path": "$.traits"},
        ),
        "relationship_attributes": Field(
            label="Relationship Attributes",
            description=(
                "Optional attributes for the relationship between the object and the user. When "
                "updating an object, attributes are added or updated, not removed."
            ),
            type="object",
            default={"@path": "$.traits.relationshipAttributes"},
        ),
        "timestamp": timestamp_field(
            "A timestamp of when the person was identified. Default is current date and time. "
            "Used for ordering updates to the person."
        ),
        "object_type_id": Field(
            label="Object Type Id",
            description=(
                "The ID used to uniquely identify a custom object type in Customer.io. [Learn more]"
                "(https://customer.io/docs/object-relationships)."
            ),
            type="string",
            default=_exists_else("$.traits.object_type_id", "$.traits.objectTypeId"),
        ),
        **batching_fields(),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=50,
    max_batch_size=100,
)
