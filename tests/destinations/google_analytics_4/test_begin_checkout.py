"""Begin Checkout: Checkout Started as `begin_checkout`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track

CHECKOUT = {**ORDER, "value": 44.98}


def test_a_checkout_started_sends_coupon_currency_products_and_value(server: MockServer) -> None:
    run(server, "beginCheckout", track("Checkout Started", CHECKOUT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"begin_checkout", b'"coupon":"SUMMER","currency":"USD","items":' + ORDER_ITEMS + b',"value":44.98,'
    )


def test_a_checkout_without_products_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "beginCheckout", track("Checkout Started", {**CHECKOUT, "products": None}))

    assert (caught.value.field, caught.value.rule) == ("items", "required")
    assert server.requests == []
