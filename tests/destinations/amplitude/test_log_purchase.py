"""Log Purchase against a local server: an order event plus one event per product."""

from __future__ import annotations

from typing import Any

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, default_mapping, execute, preset_mapping, settings

CONTEXT = (
    b'"language":"en-US","ip":"203.0.113.5","platform":"Web",'
    b'"user_properties":{"$set":{"referrer":"https://google.com/"},'
    b'"$setOnce":{"initial_referrer":"https://google.com/"}}'
)
IDS = b'"user_id":"user-123","device_id":"anon-456"'


def _order(**properties: Any) -> dict[str, Any]:
    products = [
        {"productId": "p1", "price": 19.99, "quantity": 2, "name": "Shoe"},
        {"productId": "p2", "price": 5.5, "quantity": 1},
    ]
    return sample_event(
        event="Order Completed",
        properties={"order_id": "o1", "revenue": 45.48, "products": products, **properties},
    )


def test_an_order_through_the_preset_sends_the_order_and_each_product_in_one_request(
    server: MockServer,
) -> None:
    execute("logPurchase", _order(), preset_mapping("Order Completed Calls"), settings(server))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api2/2/httpapi")
    assert request.app_headers == JSON_HEADERS
    product_event = b'"event_type":"Product Purchased","time":1714564800000,'
    assert request.body == (
        b'{"api_key":"AMP_KEY","events":[{' + IDS + b',"event_type":"Order Completed",'
        b'"time":1714564800000,"event_properties":{"order_id":"o1","revenue":45.48,"products":'
        b'[{"productId":"p1","price":19.99,"quantity":2,"name":"Shoe"},'
        b'{"productId":"p2","price":5.5,"quantity":1}]},' + CONTEXT + b","
        b'"revenue":45.48,"revenueType":"Purchase","library":"analytics.js"},'
        b"{" + IDS + b"," + product_event + b'"event_properties":{"price":19.99,"quantity":2,'
        b'"productId":"p1"},' + CONTEXT + b',"library":"analytics.js"},'
        b"{" + IDS + b"," + product_event + b'"event_properties":{"price":5.5,"quantity":1,'
        b'"productId":"p2"},' + CONTEXT + b',"library":"analytics.js"}]}'
    )


def test_revenue_per_product_is_price_times_quantity_with_numbered_insert_ids(
    server: MockServer,
) -> None:
    mapping = default_mapping(
        "logPurchase",
        trackRevenuePerProduct=True,
        insert_id={"@path": "$.messageId"},
        products=[
            {"productId": "p1", "price": 19.99, "quantity": 2, "revenueType": "Sale"},
            {"productId": "p2", "price": 5.5, "quantity": 3},
            {"productId": "free", "price": 0},
        ],
    )

    execute("logPurchase", _order(), mapping, settings(server))

    order, *products = server.requests[0].json()["events"]
    assert "revenue" not in order and order["insert_id"] == "msg-789"
    assert [
        (p["insert_id"], p.get("revenue"), p.get("quantity"), p.get("revenueType"))
        for p in products
    ] == [
        ("msg-789-2", 39.98, 2, "Sale"),
        ("msg-789-3", 16.5, 3, "Purchase"),
        ("msg-789-4", None, None, None),
    ]


def test_order_price_and_quantity_override_its_revenue(server: MockServer) -> None:
    event = _order(price=10, quantity=3, productId="bundle", products=[])

    execute("logPurchase", event, default_mapping("logPurchase"), settings(server))

    (order,) = server.requests[0].json()["events"]
    assert {
        key: order[key] for key in ("revenue", "revenueType", "quantity", "price", "productId")
    } == {
        "revenue": 30,
        "revenueType": "Purchase",
        "quantity": 3,
        "price": 10,
        "productId": "bundle",
    }


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"event_type": {"@path": "$.nothing"}}, "event_type", "required"),
        ({"products": [{"productId": "p1", "price": "cheap"}]}, "products.0.price", "type"),
        ({"trackRevenuePerProduct": "maybe"}, "trackRevenuePerProduct", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        execute("logPurchase", _order(), default_mapping("logPurchase", **fields), settings(server))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_amplitude_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute("logPurchase", _order(), default_mapping("logPurchase"), settings(server))

    error = caught.value
    assert (error.status, error.retryable, error.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
