"""Identify User: `$identify` to `POST {host}/track`, traits to `POST {host}/engage`.

https://developer.mixpanel.com/reference/track-event and
https://developer.mixpanel.com/reference/profile-set. Both take the form field `data`
(JSON) with the project token inside, so no auth header. The `$identify` event links
the anonymous id to the user id and is only sent when there is an anonymous id; the
profile update only when there are traits. The two requests run concurrently.
Segment's well-known traits become Mixpanel's reserved profile properties (`$email`,
`$first_name`, ...; `$name` falls back to "first last").
"""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._common import api_host, data_form, first_present

_SPECIAL_TRAITS = frozenset(
    {"created", "createdAt", "created_at", "email", "firstName", "lastName", "name", "username", "phone"}
)


def profile_properties(traits: dict[str, Any]) -> dict[str, Any]:
    """Traits for `$set`, Segment's well-known ones renamed to Mixpanel's reserved properties."""
    first, last = traits.get("firstName"), traits.get("lastName")
    full_name = f"{first} {last}" if first and last else None
    return {
        **{key: value for key, value in traits.items() if key not in _SPECIAL_TRAITS},
        "$created": first_present(traits.get("created"), traits.get("createdAt"), traits.get("created_at")),
        "$email": traits.get("email"),
        "$first_name": first,
        "$last_name": last,
        "$name": first_present(traits.get("name"), full_name),
        "$username": traits.get("username"),
        "$phone": traits.get("phone"),
    }


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> list[Response]:
    host = api_host(settings)
    token = settings["projectToken"]
    sends = []
    if payload.get("anonymous_id"):
        identify = {
            "event": "$identify",
            "properties": {
                "$identified_id": payload.get("user_id"),
                "$anon_id": payload["anonymous_id"],
                "token": token,
                "segment_source_name": settings.get("sourceName"),
            },
        }
        sends.append(request(f"{host}/track", method="POST", form=data_form(identify)))
    traits = payload.get("traits")
    if traits:
        profile = {
            "$token": token,
            "$distinct_id": first_present(payload.get("user_id"), payload.get("anonymous_id")),
            "$ip": payload.get("ip"),
            "$set": profile_properties(traits),
        }
        sends.append(request(f"{host}/engage", method="POST", form=data_form(profile)))
    return list(await asyncio.gather(*sends))


identify_user = Action(
    title="Identify User",
    description=(
        "Set the user ID for a particular device ID or update user properties. Learn more about "
        "[User Profiles](https://help.mixpanel.com/hc/en-us/articles/115004501966?source=segment-actions)."
    ),
    default_subscription='type = "identify"',
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
        "traits": Field(
            label="User Properties",
            description="Properties to set on the user profile",
            type="object",
            default={"@path": "$.traits"},
        ),
    },
    perform=perform,
)
