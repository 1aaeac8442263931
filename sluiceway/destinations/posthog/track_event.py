"""Track Event (`event`): `POST {endpoint}/batch/` with `{"api_key", "historical_migration", "batch"}`.

https://posthog.com/docs/api/capture. One event is a batch of one; a batch is every
event in one request. PostHog answers for the request as a whole, so the sent items
share its outcome.

Page views become `$pageview` and need `$current_url`; screens become `$screen`
(PostHog's screen event; Segment's preset says `$screenview` but its code sends
`$screen` too) and need `$screen_name`. The kit has no conditionally required fields,
so that rule is checked here; in a batch an item breaking it fails alone, unsent.

`$process_person_profile` is sent as the opposite of Anonymous Event Capture, as PostHog
documents it (`false` = an anonymous event that creates no person profile). Segment
sends it *equal* to the flag, which makes every event anonymous by default.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import (
    Action,
    Choice,
    Field,
    MultiStatus,
    PayloadValidationError,
    RequestClient,
    Response,
)

EVENT_NAMES = {"page": "$pageview", "screen": "$screen"}
# The field each event type requires, and the PostHog property it becomes.
TYPE_PROPERTIES = {"page": ("current_url", "$current_url"), "screen": ("screen_name", "$screen_name")}


def capture_event(payload: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    event_type = payload["event_type"]
    properties = dict(payload.get("properties") or {})
    if event_type in TYPE_PROPERTIES:
        field, name = TYPE_PROPERTIES[event_type]
        if not payload.get(field):
            raise PayloadValidationError(
                f"The root value is missing the required field '{field}' (required when event_type is {event_type}).",
                field=field,
                rule="required",
            )
        properties[name] = payload[field]
    properties["distinct_id"] = payload["distinct_id"]
    properties["$process_person_profile"] = not payload["anonymous_event_capture"]
    if settings.get("geoip_disable"):
        properties["$geoip_disable"] = True
    if payload.get("ip_address") is not None:
        properties["$ip"] = payload["ip_address"]
    event: dict[str, Any] = {"event": EVENT_NAMES.get(event_type, payload["event_name"])}
    if payload.get("timestamp") is not None:
        event["timestamp"] = payload["timestamp"]
    event["properties"] = properties
    return event


def batch_body(events: list[dict[str, Any]], settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_key": settings["api_key"],
        "historical_migration": bool(settings.get("historical_migration", False)),
        "batch": events,
    }


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    body = batch_body([capture_event(payload, settings)], settings)
    return await request("/batch/", method="POST", json=body)


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    """One request for the valid events; an event missing its page/screen field fails alone."""
    statuses = MultiStatus()
    events, positions = [], []
    for index, payload in enumerate(payloads):
        try:
            events.append(capture_event(payload, settings))
        except PayloadValidationError as exc:
            statuses.set_error(index, status=400, message=exc.message, code=exc.code, sent=payload)
            continue
        positions.append(index)
    if not events:
        return statuses
    body = batch_body(events, settings)
    response = await request("/batch/", method="POST", json=body, throw_http_errors=False)
    answer = response.data if response.data is not None else response.content
    for index in positions:
        if response.ok:
            statuses.set_success(index, status=response.status, sent=payloads[index], body=answer)
        else:
            statuses.set_error(
                index,
                status=response.status,
                message=f"PostHog answered {response.status}",
                sent=payloads[index],
                body=answer,
                retry_after=response.retry_after,
            )
    return statuses


track_event = Action(
    title="Track Event",
    description="Send an event to PostHog.",
    default_subscription='type = "track"',
    fields={
        "event_type": Field(
            label="Event Type",
            description="The type of event: track, page or screen.",
            required=True,
            hidden=True,
            choices=(
                Choice(value="track", label="Track"),
                Choice(value="page", label="Page"),
                Choice(value="screen", label="Screen"),
            ),
            default="track",
        ),
        "event_name": Field(
            label="Event Name",
            description="The name of the event. Page and screen events use $pageview and $screen.",
            required=True,
            default={"@path": "$.event"},
        ),
        "distinct_id": Field(
            label="Distinct ID",
            description="The distinct ID of the user.",
            required=True,
            default={"@path": "$.userId"},
        ),
        "properties": Field(
            label="Properties",
            description="The properties of the event.",
            type="object",
            default={"@path": "$.properties"},
        ),
        "current_url": Field(
            label="Current URL",
            description="The URL of the page viewed. Required for page events.",
            default={"@path": "$.context.page.url"},
        ),
        "screen_name": Field(
            label="Screen Name",
            description="The name of the screen viewed. Required for screen events.",
            default={"@path": "$.name"},
        ),
        "anonymous_event_capture": Field(
            label="Anonymous Event Capture",
            description="If enabled, the event is captured as anonymous: PostHog creates no person profile for it.",
            type="boolean",
            required=True,
            default=False,
        ),
        "timestamp": Field(
            label="Timestamp",
            description="The timestamp of the event.",
            type="datetime",
            default={"@path": "$.receivedAt"},
        ),
        "enable_batching": Field(
            label="Enable Batching",
            description="Send events to PostHog in batches.",
            type="boolean",
            required=True,
            default=False,
        ),
        "batch_size": Field(
            label="Batch Size",
            description="Maximum number of events to include in each batch.",
            type="number",
            hidden=True,
            default=100,
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
    perform_batch=perform_batch,
    default_batch_size=100,
)
