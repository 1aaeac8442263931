"""Amplitude: events, purchases, user and group properties, and user mapping.

Ingestion APIs (HTTP V2, Batch, Identify, Group Identify, User Mapping) take the project
API key in the request body; only the Dashboard REST APIs (user search, used to check
credentials) take Basic auth with the API key and secret key. The `endpoint` setting
picks the North American or the EU data centre (see `_endpoints.py`).

Segment's sixth preset, "Browser Session Tracking", runs the browser plugin `sessionId`
in the user's page; it makes no server-side call, so it has no counterpart here.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field, Preset

from ._endpoints import BASE_URLS, EUROPE, NORTH_AMERICA, endpoint
from .group_identify_user import group_identify_user
from .identify_user import identify_user
from .log_event import log_event
from .log_event_v2 import log_event_v2
from .log_purchase import log_purchase
from .map_user import map_user


async def test_authentication(request: Any, settings: dict[str, Any], auth: None) -> None:
    """Search for a user with the Dashboard REST API: a 2xx proves both keys."""
    await request(
        f"{endpoint('usersearch', settings)}?user=testUser@example.com",
        username=settings["apiKey"],
        password=settings["secretKey"],
    )


# Page and screen calls are logged as events named "Viewed <name>".
VIEWED_NAME = {**log_event_v2.default_mapping(), "event_type": {"@template": "Viewed {{name}}"}}

destination = Destination(
    name="Actions Amplitude",
    slug="actions-amplitude",
    description="Send events, purchases, user and group properties to Amplitude.",
    settings={
        "apiKey": Field(
            label="API Key",
            description="Amplitude project API key. You can find this key in the Settings of your project.",
            type="password",
            required=True,
        ),
        "secretKey": Field(
            label="Secret Key",
            description="Amplitude project secret key. You can find this key in the Settings of your project.",
            type="password",
            required=True,
        ),
        "endpoint": Field(
            label="Endpoint Region",
            description="The region to send your data.",
            type="string",
            choices=(
                Choice(value=NORTH_AMERICA, label="North America"),
                Choice(value=EUROPE, label="Europe"),
            ),
            default=NORTH_AMERICA,
        ),
    },
    authentication=Authentication(scheme="custom", test_authentication=test_authentication),
    base_urls=BASE_URLS,
    presets=(
        Preset(
            name="Track Calls",
            subscribe='type = "track" and event != "Order Completed"',
            action="logEventV2",
        ),
        Preset(
            name="Order Completed Calls",
            subscribe='type = "track" and event = "Order Completed"',
            action="logPurchase",
        ),
        Preset(
            name="Page Calls", subscribe='type = "page"', action="logEventV2", mapping=VIEWED_NAME
        ),
        Preset(
            name="Screen Calls",
            subscribe='type = "screen"',
            action="logEventV2",
            mapping=VIEWED_NAME,
        ),
        Preset(name="Identify Calls", subscribe='type = "identify"', action="identifyUser"),
    ),
    actions={
        "logEventV2": log_event_v2,
        "logEvent": log_event,
        "logPurchase": log_purchase,
        "identifyUser": identify_user,
        "groupIdentifyUser": group_identify_user,
        "mapUser": map_user,
    },
)
