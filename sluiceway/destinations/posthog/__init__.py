"""PostHog: events and person properties through PostHog's public capture API.

https://posthog.com/docs/api/capture. The project API key travels in the JSON body (no
auth header), so there is no credentials check: PostHog's capture endpoints accept any
well-formed key. The Endpoint setting picks the US or EU cloud; a self-hosted PostHog
is reached with the instance's `base_url_override`. `project_id` is collected, as in
Segment, but no request needs it.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field, Preset

from .identify import identify
from .track_event import track_event

US_ENDPOINT = "https://us.i.posthog.com"
EU_ENDPOINT = "https://eu.i.posthog.com"


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {"base_url": settings.get("endpoint") or US_ENDPOINT}


def _preset_mapping(event_type: str, event_name: str) -> dict[str, Any]:
    return {**track_event.default_mapping(), "event_type": event_type, "event_name": event_name}


destination = Destination(
    name="Posthog",
    slug="actions-posthog",
    description="Send events and person properties to PostHog.",
    settings={
        "api_key": Field(
            label="Project API Key",
            description="Your PostHog project API key (starts with phc_).",
            type="password",
            required=True,
        ),
        "project_id": Field(label="Project ID", description="Your PostHog project ID.", required=True),
        "endpoint": Field(
            label="Endpoint",
            description="The PostHog API endpoint of your region.",
            format="uri",
            required=True,
            choices=(Choice(value=US_ENDPOINT, label="US"), Choice(value=EU_ENDPOINT, label="EU")),
            default=US_ENDPOINT,
        ),
        "historical_migration": Field(
            label="Historical Migration",
            description="Mark batches as a historical migration (imported data, not live events).",
            type="boolean",
            default=False,
        ),
        "geoip_disable": Field(
            label="Disable GeoIP",
            description="Stop PostHog from resolving the location of events from their IP address.",
            type="boolean",
            default=False,
        ),
    },
    authentication=Authentication(scheme="custom"),
    extend_request=extend_request,
    base_urls=(US_ENDPOINT, EU_ENDPOINT),
    presets=(
        Preset(name="Track Event", subscribe='type = "track"', action="event"),
        Preset(name="Page View", subscribe='type = "page"', action="event", mapping=_preset_mapping("page", "$pageview")),
        Preset(
            name="Screen View", subscribe='type = "screen"', action="event", mapping=_preset_mapping("screen", "$screenview")
        ),
        Preset(name="Identify", subscribe='type = "identify"', action="identify"),
    ),
    actions={"event": track_event, "identify": identify},
)
