"""Identify User: `POST {endpoint}/users/identify` to merge an alias-only user into a known one.

https://www.braze.com/docs/api/endpoints/user_data/post_user_identify/. Body:
`{"aliases_to_identify": [{"external_id", "user_alias"}], "merge_behavior"?}`;
`merge_behavior` "merge" also carries the alias user's data over ("none" keeps only
push tokens, message history, ...).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    body: dict[str, Any] = {
        "aliases_to_identify": [
            {"external_id": payload["external_id"], "user_alias": payload["user_alias"]}
        ]
    }
    if "merge_behavior" in payload:
        body["merge_behavior"] = payload["merge_behavior"]
    return await request("/users/identify", method="POST", json=body)


identify_user = Action(
    title="Identify User",
    description=(
        "Identifies an unidentified (alias-only) user. Use alongside the Create Alias action, "
        "or with user aliases you have already defined."
    ),
    fields={
        "external_id": Field(
            label="External ID",
            description="The external ID of the user to identify.",
            type="string",
            required=True,
        ),
        "user_alias": Field(
            label="User Alias Object",
            description=(
                "A user alias object. See [the docs]"
                "(https://www.braze.com/docs/api/objects_filters/user_alias_object/)."
            ),
            type="object",
            required=True,
            properties={
                "alias_name": Field(label="Alias Name", type="string", required=True),
                "alias_label": Field(label="Alias Label", type="string", required=True),
            },
        ),
        "merge_behavior": Field(
            label="Merge Behavior",
            description=(
                "Sets the endpoint to merge some fields found exclusively on the anonymous user "
                "to the identified user. See [the docs](https://www.braze.com/docs/api/endpoints/"
                "user_data/post_user_identify/#request-parameters)."
            ),
            type="string",
            choices=("none", "merge"),
        ),
    },
    perform=perform,
)
