"""Create Alias: `POST {endpoint}/users/alias/new` with `{"user_aliases": [alias]}`.

https://www.braze.com/docs/api/endpoints/user_data/post_user_alias/. Without an
`external_id` Braze creates an alias-only user; with one, the alias is added to that
user. An explicit null `external_id` is sent as null, as Segment sends it.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    alias = {
        key: payload[key] for key in ("external_id", "alias_name", "alias_label") if key in payload
    }
    return await request("/users/alias/new", method="POST", json={"user_aliases": [alias]})


create_alias = Action(
    title="Create Alias",
    description="Create new user aliases for existing identified users, or to create new unidentified users.",
    default_subscription='event = "Create Alias"',
    fields={
        "external_id": Field(
            label="External ID",
            description="The external_id for the user to add an alias to.",
            type="string",
            allow_null=True,
        ),
        "alias_name": Field(
            label="Alias Name",
            description="The alias identifier",
            type="string",
            required=True,
        ),
        "alias_label": Field(
            label="Alias Label",
            description="A label indicating the type of alias",
            type="string",
            required=True,
        ),
    },
    perform=perform,
)
