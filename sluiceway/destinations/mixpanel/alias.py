"""Alias: a `$create_alias` event to `POST {host}/track` (form field `data`, token inside).

https://developer.mixpanel.com/reference/identity-create-alias. Links the previous id
(`distinct_id`) to the new one (`alias`). No default subscription, as in Segment: alias
calls are only needed by projects on Mixpanel's original ID merge API.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._common import api_host, data_form


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    create_alias = {
        "event": "$create_alias",
        "properties": {
            "distinct_id": payload.get("distinct_id"),
            "alias": payload.get("alias"),
            "token": settings["projectToken"],
            "segment_source_name": settings.get("sourceName"),
        },
    }
    return await request(f"{api_host(settings)}/track", method="POST", form=data_form(create_alias))


alias = Action(
    title="Alias",
    description=(
        "Associate two IDs as belonging to the same user. [Learn more about Identity Management]"
        "(https://help.mixpanel.com/hc/en-us/articles/360041039771-Getting-Started-with-Identity-Management?source=segment-actions)"
    ),
    fields={
        "alias": Field(
            label="Alias",
            description="A unique identifier that you want to use for this user in the future.",
            allow_null=True,
            default={
                "@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": {"@path": "$.anonymousId"}}
            },
        ),
        "distinct_id": Field(
            label="Distinct ID",
            description="The unique identifier used to identify the user until now.",
            default={"@path": "$.previousId"},
        ),
    },
    perform=perform,
)
