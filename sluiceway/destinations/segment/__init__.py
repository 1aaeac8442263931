"""Segment: forward events to a Segment-compatible Tracking API (Segment's own, or any clone).

https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/. Requests
carry HTTP Basic auth with the source's write key as the user name and an empty
password (`base64("<write key>:")`), and JSON bodies in Segment's spec shape. The
Endpoint setting picks Segment's US or EU host; any other Segment-compatible endpoint
(a self-hosted collector, Sluiceway itself) is reached with `base_url_override`.

There is no credentials check: the Tracking API accepts any write key (it answers 200
and drops what it cannot route), and Segment's own check reads the source's settings
from Segment's CDN, which a Segment-compatible endpoint does not have. No presets, as in
Segment.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field

from .send_alias import send_alias
from .send_group import send_group
from .send_identify import send_identify
from .send_page import send_page
from .send_screen import send_screen
from .send_track import send_track

US_ENDPOINT = "https://api.segment.io"
EU_ENDPOINT = "https://events.eu1.segmentapis.com"


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {
        "base_url": settings.get("endpoint") or US_ENDPOINT,
        "username": settings["source_write_key"],
        "password": "",
    }


destination = Destination(
    name="Segment",
    slug="actions-segment",
    description="Forward events to Segment's Tracking API, or any Segment-compatible endpoint.",
    settings={
        "source_write_key": Field(
            label="Source Write Key",
            description="The **Write Key** of the Segment source to send to.",
            type="password",
            required=True,
        ),
        "endpoint": Field(
            label="Endpoint Region",
            description="The Tracking API host of your Segment workspace's region.",
            format="uri",
            choices=(Choice(value=US_ENDPOINT, label="North America"), Choice(value=EU_ENDPOINT, label="Europe")),
            default=US_ENDPOINT,
        ),
    },
    authentication=Authentication(scheme="custom"),
    extend_request=extend_request,
    base_urls=(US_ENDPOINT, EU_ENDPOINT),
    actions={
        "sendTrack": send_track,
        "sendIdentify": send_identify,
        "sendPage": send_page,
        "sendScreen": send_screen,
        "sendGroup": send_group,
        "sendAlias": send_alias,
    },
)
