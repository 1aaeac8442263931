"""Increment Properties: `$add` to a user profile, `POST {host}/engage` (form field `data`).

https://developer.mixpanel.com/reference/profile-numerical-add. Each value must read as
a number (JavaScript's `Number()`: numeric strings count, "" is 0); Mixpanel accepts at
most 20 properties per `$add`, so more is refused before sending. An empty object
means there is nothing to add and no request is made.
"""

from __future__ import annotations

import math
from typing import Any

from sluiceway.kit import Action, Field, PayloadValidationError, RequestClient, Response

from ._common import api_host, data_form, first_present

MAX_INCREMENTS = 20


def as_number(value: Any) -> float | int | None:
    """`Number(value)` for the values JSON can hold; None where that is NaN."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        try:
            number = float(text)
        except ValueError:
            return None
        if math.isinf(number) and text.lstrip("+-").lower() != "infinity":
            return None
        return int(number) if number.is_integer() else number
    return None


def increments(values: dict[str, Any]) -> dict[str, float | int]:
    if len(values) > MAX_INCREMENTS:
        raise PayloadValidationError(
            f"Exceeded maximum of {MAX_INCREMENTS} properties for increment call",
            field="increment",
            rule="maxProperties",
        )
    added = {}
    for key, value in values.items():
        number = as_number(value)
        if number is None:
            raise PayloadValidationError(
                f"The value of increment property {key!r} is not a number",
                field=f"increment.{key}",
                rule="type",
            )
        added[key] = number
    return added


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response | None:
    added = increments(payload["increment"])
    if not added:
        return None
    profile = {
        "$token": settings["projectToken"],
        "$distinct_id": first_present(payload.get("user_id"), payload.get("anonymous_id")),
        "$ip": payload.get("ip"),
        "$add": added,
    }
    return await request(f"{api_host(settings)}/engage", method="POST", form=data_form(profile))


increment_properties = Action(
    title="Increment Properties",
    description="Increment the value of a user profile property. [Learn More](https://docs.mixpanel.com/docs/data-structure/user-profiles#incrementing-numeric-properties).",
    default_subscription='type = "track"',
    fields={
        "ip": Field(
            label="IP Address",
            description="The IP address of the user. This is only used for geolocation and won't be stored.",
            default={"@path": "$.context.ip"},
        ),
        "user_id": Field(
            label="User ID",
            description="The unique user identifier set by you",
            allow_null=True,
            default={"@path": "$.userId"},
        ),
        "anonymous_id": Field(
            label="Anonymous ID",
            description="The generated anonymous ID for the user",
            allow_null=True,
            default={"@path": "$.anonymousId"},
        ),
        "increment": Field(
            label="Increment Numerical Properties",
            description=(
                "Object of properties and the values to increment or decrement. "
                "For example: `{\"purchases\": 1, \"items\": 6}`."
            ),
            type="object",
            required=True,
            default={"@path": "$.properties.increment"},
        ),
    },
    perform=perform,
)
