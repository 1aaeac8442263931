"""Add to Cart: Product Added as `add_to_cart`, the product as the one item."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, PRODUCT, PRODUCT_ITEM, WEB_TARGET, event_body, run, track


def test_a_product_added_sends_the_product_as_the_item(server: MockServer) -> None:
    run(server, "addToCart", track("Product Added", PRODUCT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"add_to_cart", b'"currency":"USD","items":' + PRODUCT_ITEM + b',"value":39.98,'
    )


def test_a_product_without_id_or_name_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "addToCart", track("Product Added", {"price": 5, "currency": "USD"}))

    assert (caught.value.field, caught.value.rule) == ("items.0", "required")
    assert server.requests == []
