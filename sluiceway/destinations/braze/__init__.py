"""Braze Cloud Mode: events, purchases and profile attributes through Braze's REST API.

https://www.braze.com/docs/api/basics/#endpoints. Every request carries
`Authorization: Bearer <api_key>` and goes to the instance's REST endpoint (one per
Braze cluster, a setting). Braze can take long to answer large batches, so, as Segment
does, requests wait up to 30 s. Braze has no credential-check endpoint a REST key can
always call, so there is no test_authentication (nor in Segment).

Presets: Segment's "Track Calls" and "Identify Calls". Its ecommerce presets (Order
Placed, Checkout Started, Product Viewed, ...) run ecommerce actions not ported here,
so they are left out.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field, Preset

from .create_alias import create_alias
from .identify_user import identify_user
from .track_event import track_event
from .track_purchase import track_purchase
from .update_user_profile import update_user_profile

US_01 = "https://rest.iad-01.braze.com"
ENDPOINTS = (
    Choice(value=US_01, label="US-01	(https://dashboard-01.braze.com)"),
    *(
        Choice(
            value=f"https://rest.iad-0{n}.braze.com",
            label=f"US-0{n}	(https://dashboard-0{n}.braze.com)",
        )
        for n in range(2, 9)
    ),
    Choice(value="https://rest.us-09.braze.com", label="US-09	(https://dashboard-09.braze.com)"),
    Choice(value="https://rest.us-10.braze.com", label="US-10	(https://dashboard-10.braze.com)"),
    Choice(value="https://rest.fra-01.braze.eu", label="EU-01	(https://dashboard-01.braze.eu)"),
    Choice(value="https://rest.fra-02.braze.eu", label="EU-02	(https://dashboard-02.braze.eu)"),
    Choice(
        value="https://rest.au-01.braze.com", label="AU-01	(https://dashboard.au-01.braze.com)"
    ),
    Choice(
        value="https://rest.id-01.braze.com", label="ID-01	(https://dashboard.id-01.braze.com)"
    ),
    Choice(
        value="https://rest.jp-01.braze.com", label="JP-01	(https://dashboard.jp-01.braze.com)"
    ),
)
TRACK_CALLS = (
    'type = "track" and event != "Order Completed" and event != "Checkout Started" and '
    'event != "Order Refunded" and event != "Order Cancelled" and event != "Product Viewed" and '
    'event != "Product Added" and event != "Product Removed"'
)


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {
        "base_url": settings["endpoint"],
        "headers": {"Authorization": f"Bearer {settings['api_key']}"},
    }


destination = Destination(
    name="Braze Cloud Mode (Actions)",
    slug="actions-braze-cloud",
    description="Send events, purchases and user attributes to Braze.",
    settings={
        "api_key": Field(
            label="API Key",
            description="Created under Developer Console in the Braze Dashboard.",
            type="password",
            required=True,
        ),
        "app_id": Field(
            label="App ID",
            description=(
                "The app identifier used to reference specific Apps in requests made to the "
                "Braze API. Created under Developer Console in the Braze Dashboard."
            ),
            type="string",
        ),
        "endpoint": Field(
            label="REST Endpoint",
            description=(
                "Your Braze REST endpoint. [See more details]"
                "(https://www.braze.com/docs/api/basics/#endpoints)"
            ),
            type="string",
            format="uri",
            choices=ENDPOINTS,
            default=US_01,
            required=True,
        ),
    },
    authentication=Authentication(scheme="custom"),
    extend_request=extend_request,
    base_urls=tuple(str(choice.value) for choice in ENDPOINTS),
    timeout=30,
    presets=(
        Preset(name="Track Calls", subscribe=TRACK_CALLS, action="trackEvent"),
        Preset(name="Identify Calls", subscribe='type = "identify"', action="updateUserProfile"),
    ),
    actions={
        "updateUserProfile": update_user_profile,
        "trackEvent": track_event,
        "trackPurchase": track_purchase,
        "createAlias": create_alias,
        "identifyUser": identify_user,
    },
)
