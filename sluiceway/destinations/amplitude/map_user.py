"""Map User: merge a user ID into a global one with the User Mapping API (`POST /usermap`).

A form: `api_key`, `mapping=[{"user_id": <previous ID>, "global_user_id": <user ID>}]`
and `options` when a minimum ID length is set. In North America this API is on
`api.amplitude.com`, not `api2.`. Segment serialises the whole payload into the mapping,
`min_id_length` included; Amplitude's mapping object has no such key (it belongs in
`options`), so it is not repeated there. The API requires the Portfolio add-on; without
it Amplitude answers 400 (permanent).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._event import request_options, without_none
from ._fields import MIN_ID_LENGTH, path
from ._requests import send_form


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    mapping = without_none(
        {"user_id": payload.get("user_id"), "global_user_id": payload.get("global_user_id")}
    )
    return await send_form(
        request, "usermap", settings, "mapping", [mapping], request_options(payload)
    )


map_user = Action(
    title="Map User",
    description="Merge two users together that would otherwise have different User IDs tracked in Amplitude.",
    default_subscription='type = "alias"',
    fields={
        "user_id": Field(
            label="User ID",
            description="The User ID to be associated.",
            type="string",
            default=path("$.previousId"),
        ),
        "global_user_id": Field(
            label="Global User ID",
            description="The global User ID to associate with the User ID.",
            type="string",
            default=path("$.userId"),
        ),
        "min_id_length": MIN_ID_LENGTH,
    },
    perform=perform,
)
