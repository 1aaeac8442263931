"""Google Analytics 4: events through the Measurement Protocol.

https://developers.google.com/analytics/devguides/collection/protocol/ga4. Every action
sends one event to `/mp/collect` (see `_collect`), authenticated by the API secret in the
query string; there is no auth header and no presets (as in Segment).

The credentials check makes no request: the Measurement Protocol answers 2xx to anything,
so the only thing worth checking is that a stream id is configured.

Deviation: Segment always uses the global host. The `endpoint` setting (default global)
also offers Google's EU collection host `region1.google-analytics.com`, which keeps the
data's collection in the EU; with the default nothing changes.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Choice, Destination, Field, IntegrationError

from .add_payment_info import add_payment_info
from .add_to_cart import add_to_cart
from .add_to_wishlist import add_to_wishlist
from .begin_checkout import begin_checkout
from .custom_event import custom_event
from .generate_lead import generate_lead
from .login import login
from .page_view import page_view
from .purchase import purchase
from .refund import refund
from .remove_from_cart import remove_from_cart
from .search import search
from .select_item import select_item
from .select_promotion import select_promotion
from .sign_up import sign_up
from .view_cart import view_cart
from .view_item import view_item
from .view_item_list import view_item_list
from .view_promotion import view_promotion

GLOBAL_ENDPOINT = "https://www.google-analytics.com"
EU_ENDPOINT = "https://region1.google-analytics.com"


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    return {"base_url": settings.get("endpoint") or GLOBAL_ENDPOINT}


def test_authentication(request: Any, settings: dict[str, Any], auth: None) -> None:
    if not settings.get("measurementId") and not settings.get("firebaseAppId"):
        raise IntegrationError(
            "One of Firebase App ID (Mobile app stream) or Measurement ID (Web stream) is required.",
            "MISCONFIGURED_FIELD",
            400,
        )


destination = Destination(
    name="Google Analytics 4 Cloud",
    slug="actions-google-analytics-4",
    description="Send events to Google Analytics 4 through the Measurement Protocol.",
    settings={
        "measurementId": Field(
            label="Measurement ID",
            description="The web stream's measurement id (G-XXXXXXXXXX). **Required for web streams.**",
        ),
        "firebaseAppId": Field(
            label="Firebase App ID",
            description="The app stream's Firebase app id. **Required for mobile app streams.**",
        ),
        "apiSecret": Field(
            label="API Secret",
            description="A Measurement Protocol API secret (Admin > Data Streams > your stream).",
            type="password",
            required=True,
        ),
        "endpoint": Field(
            label="Endpoint",
            description="Where events are collected: Google's global host, or its EU host.",
            format="uri",
            choices=(Choice(value=GLOBAL_ENDPOINT, label="Global"), Choice(value=EU_ENDPOINT, label="EU")),
            default=GLOBAL_ENDPOINT,
        ),
    },
    authentication=Authentication(scheme="custom", test_authentication=test_authentication),
    extend_request=extend_request,
    base_urls=(GLOBAL_ENDPOINT, EU_ENDPOINT),
    actions={
        "addPaymentInfo": add_payment_info,
        "addToCart": add_to_cart,
        "addToWishlist": add_to_wishlist,
        "beginCheckout": begin_checkout,
        "customEvent": custom_event,
        "generateLead": generate_lead,
        "login": login,
        "pageView": page_view,
        "purchase": purchase,
        "refund": refund,
        "removeFromCart": remove_from_cart,
        "search": search,
        "selectItem": select_item,
        "selectPromotion": select_promotion,
        "signUp": sign_up,
        "viewCart": view_cart,
        "viewItem": view_item,
        "viewItemList": view_item_list,
        "viewPromotion": view_promotion,
    },
)
