"""Group Identify User: `POST {host}/groups` with the form field `data` (JSON), token inside.

https://developer.mixpanel.com/reference/group-set-property. The group key defaults to
`$group_id`; a trait named like the group key wins over the mapped group id (how
Segment's classic Mixpanel integration took the id). `name` and `created` become
Mixpanel's reserved `$name` and `$created`. Without traits there is nothing to set, so
the event is refused (400) rather than sent.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, IntegrationError, RequestClient, Response

from ._common import api_host, data_form, first_present

_SPECIAL_TRAITS = frozenset({"created", "createdAt", "created_at", "name"})


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    traits = payload.get("traits")
    if traits is None:
        raise IntegrationError('"traits" is a required field', "Missing required fields", 400)
    group_key = payload.get("group_key") or "$group_id"
    group = {
        "$token": settings["projectToken"],
        "$group_key": group_key,
        "$group_id": traits.get(group_key) or payload["group_id"],
        "$set": {
            **{key: value for key, value in traits.items() if key not in _SPECIAL_TRAITS},
            "$name": traits.get("name"),
            "$created": first_present(traits.get("created"), traits.get("createdAt"), traits.get("created_at")),
        },
    }
    return await request(f"{api_host(settings)}/groups", method="POST", form=data_form(group))


group_identify_user = Action(
    title="Group Identify User",
    description=(
        "Updates or adds properties to a group profile. The profile is created if it does not exist. "
        "[Learn more about Group Analytics.]"
        "(https://help.mixpanel.com/hc/en-us/articles/360025333632-Group-Analytics?source=segment-actions)"
    ),
    default_subscription='type = "group"',
    fields={
        "group_key": Field(
            label="Group Key",
            description=(
                "The group key you specified in Mixpanel under Project settings. "
                'If this is not specified, it will be defaulted to "$group_id".'
            ),
        ),
        "group_id": Field(
            label="Group ID",
            description=(
                "The unique identifier of the group. "
                "If there is a trait that matches the group key, it will override this value."
            ),
            required=True,
            default={"@path": "$.groupId"},
        ),
        "traits": Field(
            label="Group Properties",
            description="The properties to set on the group profile.",
            type="object",
            default={"@path": "$.traits"},
        ),
    },
    perform=perform,
)
