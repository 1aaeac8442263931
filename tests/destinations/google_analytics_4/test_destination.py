"""GA4's declaration: settings, no presets, the local credentials check, endpoints, errors."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.google_analytics_4 import destination as ga4
from sluiceway.kit import APIError, IntegrationError, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ORDER, PRODUCT, run, track

ACTIONS = {
    "addPaymentInfo": track("Payment Info Entered", ORDER),
    "addToCart": track("Product Added", PRODUCT),
    "addToWishlist": track("Product Added to Wishlist", PRODUCT),
    "beginCheckout": track("Checkout Started", ORDER),
    "customEvent": sample_event(),
    "generateLead": track("Lead Generated", {"currency": "USD", "value": 1}),
    "login": track("Signed In", {}),
    "pageView": sample_event("page"),
    "purchase": track("Order Completed", ORDER),
    "refund": track("Order Refunded", ORDER),
    "removeFromCart": track("Product Removed", PRODUCT),
    "search": track("Products Searched", {"query": "shoes"}),
    "selectItem": track("Product Clicked", PRODUCT),
    "selectPromotion": track("Promotion Clicked", {"promotion_id": "x", "name": "Sale"}),
    "signUp": track("Signed Up", {"type": "email"}),
    "viewCart": track("Cart Viewed", ORDER),
    "viewItem": track("Product Viewed", PRODUCT),
    "viewItemList": track("Product List Viewed", ORDER),
    "viewPromotion": track("Promotion Viewed", {"promotion_id": "x", "name": "Sale"}),
}


def test_it_is_in_the_catalog_with_segments_nineteen_actions() -> None:
    assert kit.catalog()["actions-google-analytics-4"].name == "Google Analytics 4 Cloud"
    assert sorted(ga4.actions) == sorted(ACTIONS)
    assert ga4.actions["purchase"].default_subscription == 'type = "track" and event = "Order Completed"'


def test_settings_need_an_api_secret_which_is_secret() -> None:
    assert ga4.settings_schema["required"] == ["apiSecret"]
    assert ga4.secret_settings == frozenset({"apiSecret"})
    assert ga4.settings["endpoint"].default == "https://www.google-analytics.com"
    with pytest.raises(IntegrationError) as caught:
        ga4.validate_settings({"apiSecret": "s", "endpoint": "https://analytics.example.com"})
    assert caught.value.code == "INVALID_SETTINGS"


def test_there_are_no_presets() -> None:
    assert ga4.quick_setup() == []


def test_the_credentials_check_makes_no_request_and_needs_a_stream_id(server: MockServer) -> None:
    settings = {"apiSecret": "s", "base_url_override": server.url}

    asyncio.run(ga4.test_authentication({**settings, "measurementId": "G-TEST"}))
    asyncio.run(ga4.test_authentication({**settings, "firebaseAppId": "1:1:ios:1"}))
    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(ga4.test_authentication(settings))

    assert caught.value.message.startswith("Credentials are invalid: 400 One of Firebase App ID")
    assert server.requests == []


def test_the_eu_endpoint_is_where_requests_go(server: MockServer) -> None:
    eu = "https://region1.google-analytics.com"

    run(server, "customEvent", sample_event(), endpoint=eu, base_url_override={eu: server.url + "/eu"})

    assert server.requests[0].target == "/eu/mp/collect?api_secret=SECRET&measurement_id=G-TEST"
    assert ga4.base_urls == ("https://www.google-analytics.com", eu)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "30"}, True, 30.0)],
)
def test_errors_are_classified_by_status(
    server: MockServer, action: str, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, action, ACTIONS[action])

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
    assert len(server.requests) == 1
