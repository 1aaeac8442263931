"""Group Identify User: put a user in a group and set the group's properties.

Two form requests, in order: when the call names a user or device, the Identify API
(`POST /identify`) gets `identification=[{...}]` setting the group both as the user's
`groups` and as a user property; then the Group Identify API (`POST /groupidentify`)
always gets `identification=[{"group_properties", "group_value", "group_type"}]`.
`time` is the call's timestamp in epoch ms, or now when there is none. A failure of the
first request stops the action before the second, so a retry repeats both (idempotent).
"""

from __future__ import annotations

import time as clock
from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._event import epoch_millis, request_options, without_none
from ._fields import DEVICE_ID, INSERT_ID, MIN_ID_LENGTH, USER_ID, path
from ._requests import send_form


def user_identification(payload: dict[str, Any]) -> dict[str, Any]:
    group = {payload["group_type"]: payload["group_value"]}
    return without_none(
        {
            "device_id": payload.get("device_id"),
            "groups": group,
            "insert_id": payload.get("insert_id"),
            "library": "segment",
            "time": epoch_millis(payload.get("time")) or int(clock.time() * 1000),
            "user_id": payload.get("user_id"),
            "user_properties": group,
        }
    )


def group_identification(payload: dict[str, Any]) -> dict[str, Any]:
    return without_none(
        {
            "group_properties": payload.get("group_properties"),
            "group_value": payload["group_value"],
            "group_type": payload["group_type"],
            "library": "segment",
        }
    )


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    options = request_options(payload)
    if payload.get("user_id") or payload.get("device_id"):
        await send_form(
            request, "identify", settings, "identification", [user_identification(payload)], options
        )
    return await send_form(
        request,
        "groupidentify",
        settings,
        "identification",
        [group_identification(payload)],
        options,
    )


group_identify_user = Action(
    title="Group Identify User",
    description="Set or update properties of particular groups.",
    default_subscription='type = "group"',
    fields={
        "user_id": USER_ID,
        "device_id": DEVICE_ID,
        "insert_id": INSERT_ID,
        "time": Field(
            label="Timestamp",
            description="The timestamp of the call; now if there is none.",
            type="string",
            default=path("$.timestamp"),
        ),
        "group_properties": Field(
            label="Group Properties",
            description="Additional data tied to the group in Amplitude.",
            type="object",
            default=path("$.traits"),
        ),
        "group_type": Field(
            label="Group Type",
            description='The type of the group, such as "company".',
            type="string",
            required=True,
        ),
        "group_value": Field(
            label="Group Value",
            description="The value of the group, such as its name.",
            type="string",
            required=True,
        ),
        "min_id_length": MIN_ID_LENGTH,
    },
    perform=perform,
)
