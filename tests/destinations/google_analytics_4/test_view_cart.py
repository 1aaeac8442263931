"""View Cart: Cart Viewed as `view_cart`, the cart's products as items."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track

CART = {"cart_id": "c-1", "currency": "USD", "value": 44.98, "products": ORDER["products"]}


def test_a_cart_viewed_sends_currency_value_and_the_products(server: MockServer) -> None:
    run(server, "viewCart", track("Cart Viewed", CART))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"view_cart", b'"currency":"USD","value":44.98,"items":' + ORDER_ITEMS + b","
    )


def test_a_value_without_a_currency_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "viewCart", track("Cart Viewed", {**CART, "currency": None}))

    assert (caught.value.field, caught.value.rule) == ("currency", "required")
    assert server.requests == []
