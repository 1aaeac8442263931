"""Identify: a `$identify` event with `$set` traits to `POST {endpoint}/i/v0/e/`.

https://posthog.com/docs/api/capture (single event endpoint). Sets person properties on
the profile of `distinct_id`. No default subscription, as in Segment: the Identify
preset installs it.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    properties: dict[str, Any] = {"$set": payload["properties"]}
    if settings.get("geoip_disable"):
        properties["$geoip_disable"] = True
    if payload.get("ip_address") is not None:
        properties["$ip"] = payload["ip_address"]
    body: dict[str, Any] = {
        "event": "$identify",
        "api_key": settings["api_key"],
        "distinct_id": payload["distinct_id"],
        "properties": properties,
    }
    if payload.get("timestamp") is not None:
        body["timestamp"] = payload["timestamp"]
    return await request("/i/v0/e/", method="POST", json=body)


identify = Action(
    title="Identify",
    description="Set person properties on a user's profile in PostHog.",
    fields={
        "distinct_id": Field(
            label="Distinct ID",
            description="The distinct ID of the user.",
            required=True,
            default={"@path": "$.userId"},
        ),
        "properties": Field(
            label="Properties",
            description="The person properties to set.",
            type="object",
            required=True,
            default={"@path": "$.traits"},
        ),
        "timestamp": Field(
            label="Timestamp",
            description="The timestamp of the identify call.",
            type="datetime",
            default={"@path": "$.timestamp"},
        ),
        "ip_address": Field(
            label="IP Address",
            description="The IP address of the user, used by PostHog for geolocation.",
            format="ipv4",
            allow_null=True,
            default={"@path": "$.context.ip"},
        ),
    },
    perform=perform,
)
