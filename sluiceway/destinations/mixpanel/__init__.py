"""Mixpanel (Actions): events, purchases, user and group profiles, aliases, increments.

https://developer.mixpanel.com/reference/ingestion-api. Events go to /import (JSON, Basic
auth with the project secret); profile, group and identity calls go to /track, /engage
and /groups (form field `data`, project token inside the JSON). Every host has a US, EU
and India variant chosen by the Data Residency setting.

Segment's feature flag that forces the project token as /import credential is not
reproduced: the secret is used when set, the token otherwise.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import (
    Authentication,
    Choice,
    Destination,
    Field,
    Preset,
    RequestClient,
    json_body,
)

from ._common import API_HOSTS, EU, IN, US
from .alias import alias
from .group_identify_user import group_identify_user
from .identify_user import identify_user
from .increment_properties import increment_properties
from .track_event import track_event
from .track_purchase import track_purchase

CREDENTIALS_CHECK = "https://mixpanel.com/api/app/validate-project-credentials/"


async def test_authentication(request: RequestClient, settings: dict[str, Any], auth: None) -> None:
    # A JSON string as the raw body, as Segment sends it (so text/plain, not application/json).
    body = json_body({"project_token": settings["projectToken"]}).decode()
    await request(CREDENTIALS_CHECK, method="POST", body=body)


def _viewed(action_mapping: dict[str, Any]) -> dict[str, Any]:
    return {**action_mapping, "event": {"@template": "Viewed {{name}}"}}


destination = Destination(
    name="Mixpanel (Actions)",
    slug="actions-mixpanel",
    description="Send events, purchases and user and group profiles to Mixpanel.",
    settings={
        "projectToken": Field(label="Project Token", description="Mixpanel project token.", required=True),
        "apiSecret": Field(
            label="Secret Key",
            description="Mixpanel project secret; the project token is used for /import when it is not set.",
            type="password",
        ),
        "apiRegion": Field(
            label="Data Residency",
            description=(
                "Learn about [EU data residency](https://docs.mixpanel.com/docs/privacy/eu-residency) "
                "and [India data residency](https://docs.mixpanel.com/docs/privacy/in-residency)"
            ),
            choices=tuple(Choice(value=region, label=region) for region in (US, EU, IN)),
            default=US,
        ),
        "sourceName": Field(
            label="Source Name",
            description=(
                "This value, if it's not blank, will be sent as segment_source_name to Mixpanel "
                "for every event/page/screen call."
            ),
        ),
        "strictMode": Field(
            label="Strict Mode",
            description=(
                "This value, if it's 1 (recommended), Mixpanel will validate the events you are trying "
                "to send and return errors per event that failed."
            ),
            choices=(Choice(value="1", label="On"), Choice(value="0", label="Off")),
            default="1",
        ),
    },
    authentication=Authentication(scheme="custom", test_authentication=test_authentication),
    base_urls=(*API_HOSTS.values(), "https://mixpanel.com"),
    presets=(
        Preset(name="Track Calls", subscribe='type = "track" and event != "Order Completed"', action="trackEvent"),
        Preset(
            name="Order Completed Calls",
            subscribe='type = "track" and event = "Order Completed"',
            action="trackPurchase",
        ),
        Preset(name="Page Calls", subscribe='type = "page"', action="trackEvent", mapping=_viewed(track_event.default_mapping())),
        Preset(name="Screen Calls", subscribe='type = "screen"', action="trackEvent", mapping=_viewed(track_event.default_mapping())),
        Preset(name="Identify Calls", subscribe='type = "identify"', action="identifyUser"),
        Preset(name="Group Calls", subscribe='type = "group"', action="groupIdentifyUser"),
    ),
    actions={
        "trackEvent": track_event,
        "identifyUser": identify_user,
        "groupIdentifyUser": group_identify_user,
        "alias": alias,
        "trackPurchase": track_purchase,
        "incrementProperties": increment_properties,
    },
)
