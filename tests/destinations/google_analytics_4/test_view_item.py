"""View Item: Product Viewed as `view_item`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, PRODUCT, PRODUCT_ITEM, WEB_TARGET, event_body, run, track


def test_a_product_viewed_sends_the_product_as_the_item(server: MockServer) -> None:
    run(server, "viewItem", track("Product Viewed", PRODUCT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"view_item", b'"currency":"USD","items":' + PRODUCT_ITEM + b',"value":39.98,'
    )


def test_an_unknown_currency_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "viewItem", track("Product Viewed", {**PRODUCT, "currency": "usdollar"}))

    assert (caught.value.field, caught.value.rule) == ("currency", "enum")
    assert server.requests == []
