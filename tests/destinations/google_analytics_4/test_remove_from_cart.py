"""Remove from Cart: Product Removed as `remove_from_cart`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, PRODUCT, PRODUCT_ITEM, WEB_TARGET, event_body, run, track


def test_a_product_removed_sends_currency_value_and_the_item(server: MockServer) -> None:
    run(server, "removeFromCart", track("Product Removed", PRODUCT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"remove_from_cart", b'"currency":"USD","value":39.98,"items":' + PRODUCT_ITEM + b","
    )


def test_a_value_without_a_currency_is_refused(server: MockServer) -> None:
    product = {key: value for key, value in PRODUCT.items() if key != "currency"}

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "removeFromCart", track("Product Removed", product))

    assert (caught.value.field, caught.value.rule) == ("currency", "required")
    assert "Currency is required if value is set." in caught.value.message
    assert server.requests == []
