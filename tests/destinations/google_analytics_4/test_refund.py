"""Refund: Order Refunded as `refund`; products only for a partial refund."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track


def test_a_partial_refund_sends_the_order_and_the_refunded_products(server: MockServer) -> None:
    run(server, "refund", track("Order Refunded", ORDER))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"refund",
        b'"currency":"USD","transaction_id":"o-1","value":44.98,"affiliation":"Web Store","shipping":3,"tax":2,'
        b'"items":' + ORDER_ITEMS + b",",
    )


def test_a_full_refund_sends_no_items(server: MockServer) -> None:
    run(server, "refund", track("Order Refunded", {"order_id": "o-1", "total": 44.98, "currency": "eur"}))

    assert server.requests[0].body == event_body(
        b"refund", b'"currency":"EUR","transaction_id":"o-1","value":44.98,'
    )


def test_a_refund_needs_the_order_id(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "refund", track("Order Refunded", {**ORDER, "order_id": None}))

    assert (caught.value.field, caught.value.rule) == ("transaction_id", "required")
    assert server.requests == []
