"""Identify User V2: `POST /v2/users` (https://developer.fullstory.com/server/users/create-user/).

Creates the user, or updates the one with the same `uid`. Body `{uid, email,
display_name, properties}`; the anonymous id travels as `properties.segmentAnonymousId`.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, RequestClient, Response

from ._fields import user_fields
from ._properties import normalize_property_names


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    properties = normalize_property_names(payload.get("properties"))
    if payload.get("anonymousId"):
        properties["segmentAnonymousId"] = payload["anonymousId"]
    body = {
        "uid": payload.get("uid"),
        "email": payload.get("email"),
        "display_name": payload.get("displayName"),
        "properties": properties,
    }
    return await request("/v2/users", method="POST", json={k: v for k, v in body.items() if v is not None})


identify_user_v2 = Action(
    title="Identify User V2",
    description="Set a user's identity and properties; creates the user if no user has the uid.",
    default_subscription='type = "identify"',
    fields=user_fields(id_key="uid", traits_key="properties", user_required=False),
    perform=perform,
)
