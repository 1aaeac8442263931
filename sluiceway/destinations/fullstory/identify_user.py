"""Identify User (v1, legacy): `POST /users/v1/individual/<uid>/customvars?integration=segment`.

Body: the traits with camel-cased, type-suffixed names (`first_name` -> `firstName_str`),
then `segmentAnonymousId_str`, `email` and `displayName`
(https://developer.fullstory.com/server/v1/users/set-user-properties/).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, RequestClient, Response

from ._common import user_path
from ._fields import user_fields
from ._properties import normalize_property_names


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    body = normalize_property_names(payload.get("traits"), camel=True, type_suffix=True)
    if payload.get("anonymousId"):
        body["segmentAnonymousId_str"] = payload["anonymousId"]
    body.update({key: payload[key] for key in ("email", "displayName") if key in payload})
    return await request(user_path(payload["userId"], "customvars"), method="POST", json=body)


identify_user = Action(
    title="Identify User",
    description="Set a user's identity variables (legacy v1 API).",
    default_subscription='type = "identify"',
    fields=user_fields(id_key="userId", traits_key="traits", user_required=True),
    perform=perform,
)
