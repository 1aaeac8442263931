"""Identify User: set a user's properties with Amplitude's Identify API (`POST /identify`).

A form: `api_key`, `identification` (one JSON object: ids, user properties, device
context) and `options` when a minimum ID length is set. UTM parameters and the referrer
become `$set` / `$setOnce` user properties as in Log Event. `library` is always
"segment" here (the mapped library name only decides the "Web" platform), as in Segment.
Amplitude answers 200 `success`; 400 for a missing user_id/device_id, 429 when a user is
updated too often (about 1,800 updates an hour).
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._event import add_utm_and_referrer, mapped_properties, request_options, with_user_agent
from ._fields import (
    DEVICE_FIELDS,
    DEVICE_ID,
    GROUPS,
    INSERT_ID,
    MIN_ID_LENGTH,
    REFERRER,
    USER_AGENT_DATA,
    USER_AGENT_FIELDS,
    USER_ID,
    USER_PROPERTIES,
    UTM_PROPERTIES,
    path,
)
from ._requests import send_form


def build_identification(payload: dict[str, Any]) -> dict[str, Any]:
    properties = mapped_properties(payload)
    add_utm_and_referrer(properties, payload)
    return {**with_user_agent(payload, properties), "library": "segment"}


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    identification = build_identification(payload)
    return await send_form(
        request, "identify", settings, "identification", identification, request_options(payload)
    )


identify_user = Action(
    title="Identify User",
    description="Set the user ID for a particular device ID or update user properties.",
    default_subscription='type = "identify"',
    fields={
        "user_id": USER_ID,
        "device_id": DEVICE_ID,
        "user_properties": USER_PROPERTIES,
        "groups": GROUPS,
        **DEVICE_FIELDS,
        "paying": Field(
            label="Is Paying", description="Whether the user is paying or not.", type="boolean"
        ),
        "start_version": Field(
            label="Initial Version",
            description="The version of the app the user was first on.",
            type="string",
        ),
        "insert_id": INSERT_ID,
        **USER_AGENT_FIELDS,
        "utm_properties": UTM_PROPERTIES,
        "referrer": REFERRER,
        "min_id_length": MIN_ID_LENGTH,
        "library": Field(
            label="Library",
            description="The name of the library that sent the call.",
            type="string",
            default=path("$.context.library.name"),
        ),
        "userAgentData": USER_AGENT_DATA,
    },
    perform=perform,
)
