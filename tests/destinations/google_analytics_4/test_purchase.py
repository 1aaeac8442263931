"""Purchase: Order Completed as `purchase`, its products as items."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track


def test_an_order_completed_sends_the_order_and_its_products(server: MockServer) -> None:
    run(server, "purchase", track("Order Completed", ORDER))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"purchase",
        b'"affiliation":"Web Store","coupon":"SUMMER","currency":"USD","items":' + ORDER_ITEMS
        + b',"transaction_id":"o-1","shipping":3,"value":44.98,"tax":2,',
    )


def test_currencies_are_sent_upper_cased(server: MockServer) -> None:
    items = [{"item_id": "p1", "currency": "eur"}]
    run(server, "purchase", track("Order Completed", {**ORDER, "currency": "eur"}), {"items": items})

    params = server.requests[0].json()["events"][0]["params"]
    assert (params["currency"], params["items"]) == ("EUR", [{"item_id": "p1", "currency": "EUR"}])


@pytest.mark.parametrize(
    ("properties", "mapping", "field", "rule"),
    [
        ({"currency": None}, {}, "currency", "required"),
        ({"order_id": None}, {}, "transaction_id", "required"),
        ({"products": None}, {}, "items", "required"),
        ({"currency": "XYZ"}, {}, "currency", "enum"),
        ({"total": "a lot"}, {}, "value", "type"),
        ({"products": [{"price": 5}]}, {}, "items.0", "required"),
        ({}, {"items": [{"item_id": "p1"}, {"item_id": "p2", "currency": "dollars"}]}, "items.1.currency", "enum"),
        ({"products": [{"product_id": "p1", "quantity": 1.5}]}, {}, "items.0.quantity", "type"),
    ],
)
def test_an_invalid_order_is_refused_before_any_request(
    server: MockServer, properties: dict, mapping: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "purchase", track("Order Completed", {**ORDER, **properties}), mapping)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []
