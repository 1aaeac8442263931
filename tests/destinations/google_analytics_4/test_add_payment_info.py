"""Add Payment Info: Payment Info Entered as `add_payment_info`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track

PAYMENT = {"payment_method": "credit_card", "currency": "USD", "value": 44.98, "products": ORDER["products"]}


def test_payment_info_sends_the_payment_type_and_the_products(server: MockServer) -> None:
    run(server, "addPaymentInfo", track("Payment Info Entered", PAYMENT))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"add_payment_info",
        b'"currency":"USD","value":44.98,"payment_type":"credit_card","items":' + ORDER_ITEMS + b",",
    )


def test_without_an_event_or_item_currency_it_is_refused(server: MockServer) -> None:
    payment = {"payment_method": "credit_card", "products": ORDER["products"]}

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "addPaymentInfo", track("Payment Info Entered", payment))

    assert (caught.value.field, caught.value.rule) == ("currency", "required")
    assert server.requests == []
