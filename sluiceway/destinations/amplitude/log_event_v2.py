"""Log Event V2: one event to Amplitude's HTTP V2 API (`POST /2/httpapi`).

With `use_batch_endpoint` the same body goes to the Batch Event Upload API (`/batch`),
which allows more events per second per user. Set Once, Set Always and Add become the
`$setOnce`, `$set` and `$add` user-property operations, each only when it carries a
value. Revenue fields are mapped but not sent (Log Purchase sends revenue), as in
Segment. Amplitude answers 200 with `events_ingested`; 400 (invalid or too-short IDs),
413 are permanent, 429 (30 events/s per user or device) and 5xx are retried.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._event import (
    REVENUE_KEYS,
    add_user_property_operations,
    event_library,
    mapped_properties,
    with_user_agent,
)
from ._fields import (
    EVENT_SCHEMA,
    MIN_ID_LENGTH,
    PRODUCTS,
    USE_BATCH_ENDPOINT,
    USER_AGENT_DATA,
    USER_AGENT_FIELDS,
    UTM_KEYS,
    path,
)
from ._requests import send_events


def build_event(payload: dict[str, Any]) -> dict[str, Any]:
    properties = mapped_properties(payload, drop=REVENUE_KEYS)
    add_user_property_operations(
        properties,
        {
            "$setOnce": payload.get("setOnce"),
            "$set": payload.get("setAlways"),
            "$add": payload.get("add"),
        },
    )
    event = with_user_agent(payload, properties)
    library = event_library(payload)
    if library is not None:
        event["library"] = library
    return event


def _utm_object(label_prefix: str, key_prefix: str, referrer_key: str) -> dict[str, Field]:
    """Set Once / Set Always properties: a referrer plus the five UTM parameters."""
    fields = {referrer_key: Field(label=f"{label_prefix}Referrer".strip(), type="string")}
    for key in UTM_KEYS:
        fields[f"{key_prefix}utm_{key}"] = Field(
            label=f"{label_prefix}UTM {key.title()}".strip(), type="string"
        )
    return fields


def _utm_defaults(key_prefix: str, referrer_key: str) -> dict[str, Any]:
    defaults = {referrer_key: path("$.context.page.referrer")}
    for key, source in UTM_KEYS.items():
        defaults[f"{key_prefix}utm_{key}"] = path(f"$.context.campaign.{source}")
    return defaults


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_events(request, payload, settings, [build_event(payload)])


log_event_v2 = Action(
    title="Log Event V2",
    description="Send an event to Amplitude.",
    default_subscription='type = "track"',
    fields={
        **EVENT_SCHEMA,
        "products": PRODUCTS,
        "setOnce": Field(
            label="Set Once",
            description="User properties set only if the user does not have a value for them yet.",
            type="object",
            additional_properties=True,
            properties=_utm_object("Initial ", "initial_", "initial_referrer"),
            default=_utm_defaults("initial_", "initial_referrer"),
        ),
        "setAlways": Field(
            label="Set Always",
            description="User properties set with every event.",
            type="object",
            additional_properties=True,
            properties=_utm_object("", "", "referrer"),
            default=_utm_defaults("", "referrer"),
        ),
        "add": Field(
            label="Add",
            description="Increment user properties by a number; an unset property starts at 0.",
            type="object",
            additional_properties=True,
        ),
        "use_batch_endpoint": USE_BATCH_ENDPOINT,
        **USER_AGENT_FIELDS,
        "min_id_length": MIN_ID_LENGTH,
        "userAgentData": USER_AGENT_DATA,
    },
    perform=perform,
)
