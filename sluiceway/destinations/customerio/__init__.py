"""Customer.io: people, events and page views through the Track API v2.

https://docs.customer.io/api/track/. Requests carry Basic auth with the site ID as
user name and the Track API key as password, and go to the account's region:
`https://track.customer.io` (US) or `https://track-eu.customer.io` (EU; a US host
refuses EU workspaces). The credential check is `GET /auth` on the US host, as in
Segment: Customer.io answers it for accounts of either region.

Ported actions: Create or Update Person, Track Event and Track Page View, with their
presets. Segment's other Customer.io actions (devices, objects, deletions,
suppressions, merges, screen views, delivery and content reports) are not ported yet,
so their presets are left out.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Destination, Field, Preset, RequestClient

from .create_update_person import create_update_person
from .track_event import SUBSCRIPTION as TRACK_EVENT_SUBSCRIPTION
from .track_event import track_event
from .track_page_view import track_page_view

US, EU = "US 🇺🇸", "EU 🇪🇺"
TRACK_HOSTS = {US: "https://track.customer.io", EU: "https://track-eu.customer.io"}


def track_host(settings: dict[str, Any]) -> str:
    return TRACK_HOSTS.get(settings.get("accountRegion") or US, TRACK_HOSTS[US])


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {
        "base_url": track_host(settings),
        "username": settings["siteId"],
        "password": settings["apiKey"],
    }


async def test_authentication(request: RequestClient, settings: dict[str, Any], auth: None) -> None:
    await request(f"{TRACK_HOSTS[US]}/auth")


destination = Destination(
    name="Actions Customerio",
    slug="actions-customerio",
    description="Send people, events and page views to Customer.io.",
    settings={
        "siteId": Field(
            label="Site ID",
            description="Customer.io site ID. This can be found on your [API Credentials page](https://fly.customer.io/settings/api_credentials).",
            type="password",
            required=True,
        ),
        "apiKey": Field(
            label="API Key",
            description="Customer.io API key. This can be found on your [API Credentials page](https://fly.customer.io/settings/api_credentials).",
            type="password",
            required=True,
        ),
        "accountRegion": Field(
            label="Account Region",
            description="Learn about [Account Regions](https://customer.io/docs/data-centers/).",
            type="string",
            choices=(US, EU),
            default=US,
        ),
    },
    authentication=Authentication(scheme="basic", test_authentication=test_authentication),
    extend_request=extend_request,
    base_urls=tuple(TRACK_HOSTS.values()),
    presets=(
        Preset(
            name="Create or Update Person",
            subscribe='type = "identify"',
            action="createUpdatePerson",
        ),
        Preset(name="Track Event", subscribe=TRACK_EVENT_SUBSCRIPTION, action="trackEvent"),
        Preset(name="Track Page View", subscribe='type = "page"', action="trackPageView"),
    ),
    actions={
        "createUpdatePerson": create_update_person,
        "trackEvent": track_event,
        "trackPageView": track_page_view,
    },
)
