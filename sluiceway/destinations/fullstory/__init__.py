"""FullStory: server events and user properties through FullStory's HTTP API.

https://developer.fullstory.com/server-events. Every request carries `Authorization:
Basic <api key>`: the raw key, not base64 of `user:password` (FullStory's keys are sent
as they are), plus `Content-Type: application/json` and `Integration-Source: segment`.
Segment builds these per call; here `extend_request` adds them to every request.

The credentials check is `GET /me`. Deviation: Segment only uses the North America host;
the `region` setting (default North America) also offers FullStory's EU host
`api.eu1.fullstory.com`, which EU accounts need. Segment's user-deletion hook
(`DELETE /v2/users?uid=`) is not declared: the kit has no deletion hook yet.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field, Preset, RequestClient

from .identify_user import identify_user
from .identify_user_v2 import identify_user_v2
from .track_event import track_event
from .track_event_v2 import track_event_v2

NORTH_AMERICA = "https://api.fullstory.com"
EUROPE = "https://api.eu1.fullstory.com"
REGION_HOSTS = {"north_america": NORTH_AMERICA, "europe": EUROPE}


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {
        "base_url": REGION_HOSTS.get(settings.get("region") or "north_america", NORTH_AMERICA),
        "headers": {
            "Content-Type": "application/json",
            "Authorization": f"Basic {settings['apiKey']}",
            "Integration-Source": "segment",
        },
    }


async def test_authentication(request: RequestClient, settings: dict[str, Any], auth: None) -> None:
    await request("/me")


destination = Destination(
    name="Fullstory Cloud Mode (Actions)",
    slug="actions-fullstory-cloud",
    description="Send server events and user properties to FullStory.",
    settings={
        "apiKey": Field(
            label="API Key",
            description="Your FullStory API key (Settings > Integrations > API Keys).",
            type="password",
            required=True,
        ),
        "region": Field(
            label="Region",
            description="The data region of your FullStory account.",
            choices=(Choice(value="north_america", label="North America"), Choice(value="europe", label="Europe")),
            default="north_america",
        ),
    },
    authentication=Authentication(scheme="custom", test_authentication=test_authentication),
    extend_request=extend_request,
    base_urls=(NORTH_AMERICA, EUROPE),
    presets=(
        Preset(name="Track Event", subscribe='type = "track"', action="trackEventV2"),
        Preset(name="Identify User", subscribe='type = "identify"', action="identifyUserV2"),
    ),
    actions={
        "trackEventV2": track_event_v2,
        "identifyUserV2": identify_user_v2,
        "trackEvent": track_event,
        "identifyUser": identify_user,
    },
)
