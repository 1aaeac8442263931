"""Add to Wishlist: Product Added to Wishlist as `add_to_wishlist`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, PRODUCT, PRODUCT_ITEM, WEB_TARGET, event_body, run, track


def test_a_wishlisted_product_sends_currency_value_and_the_item(server: MockServer) -> None:
    run(server, "addToWishlist", track("Product Added to Wishlist", PRODUCT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"add_to_wishlist", b'"currency":"USD","value":39.98,"items":' + PRODUCT_ITEM + b","
    )


def test_an_item_currency_can_stand_in_for_the_events(server: MockServer) -> None:
    run(server, "addToWishlist", track("Product Added to Wishlist", {"product_id": "p1"}),
        {"items": [{"item_id": "p1", "currency": "gbp"}]})

    assert server.requests[0].json()["events"][0]["params"]["items"] == [{"item_id": "p1", "currency": "GBP"}]


def test_without_any_currency_the_event_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "addToWishlist", track("Product Added to Wishlist", {"product_id": "p1"}))

    assert (caught.value.field, caught.value.rule) == ("currency", "required")
    assert "One of item-level currency or top-level currency is required." in caught.value.message
    assert server.requests == []
