"""Mixpanel Track Purchase: the order plus one "Product Purchased" event per product."""

from __future__ import annotations

import pytest

from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, IMPORT_HEADERS, run, run_batch

ORDER_MAPPING = {**mixpanel.actions["trackPurchase"].default_mapping()}


def _order(**overrides: object) -> dict:
    properties = {
        "order_id": "o-1",
        "revenue": 25.0,
        "currency": "USD",
        "products": [
            {"product_id": "p1", "sku": "S1", "price": 10, "quantity": 1, "size": "XL"},
            {"product_id": "p2", "price": 15.5, "quantity": "2"},
        ],
    }
    return sample_event(event="Order Completed", properties=properties, **overrides)


def test_an_order_imports_the_order_event_and_one_event_per_product(server: MockServer) -> None:
    # Product events carry the mapped product keys only ("size" is not in the default mapping).
    run(server, "trackPurchase", _order())

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/import?strict=1", IMPORT_HEADERS)
    shared = (
        '"ip":"203.0.113.5","id":"user-123","$anon_id":"anon-456","distinct_id":"user-123",'
        '"$current_url":"https://example.com/p1","$device_id":"anon-456","$identified_id":"user-123",'
    )
    tail = (
        '"$lib_version":"2.11.1","$locale":"en-US","$referrer":"https://google.com/","$source":"segment",'
        '"$user_id":"user-123","mp_lib":"Segment Actions: analytics.js","event_original_name":"Order Completed",'
        '"order_id":"o-1"'
    )
    products = (
        '[{"product_id":"p1","sku":"S1","price":10,"quantity":1,"size":"XL"},'
        '{"product_id":"p2","price":15.5,"quantity":"2"}]'
    )
    assert request.body.decode() == (
        '[{"event":"Order Completed","properties":{"time":1714564800000,' + shared + '"$insert_id":"msg-789",'
        + tail + ',"revenue":25,"currency":"USD","products":' + products + "}},"
        '{"event":"Product Purchased","properties":{"time":1714564799999,' + shared + '"$insert_id":"0msg-789",'
        + tail + ',"product_id":"p1","sku":"S1","price":10,"quantity":1}},'
        '{"event":"Product Purchased","properties":{"time":1714564799998,' + shared + '"$insert_id":"1msg-789",'
        + tail + ',"product_id":"p2","price":15.5,"quantity":2}}]'
    )


def test_product_events_can_be_turned_off(server: MockServer) -> None:
    run(server, "trackPurchase", _order(), {**ORDER_MAPPING, "generatePurchaseEventPerProduct": False})

    assert [event["event"] for event in server.requests[0].json()] == ["Order Completed"]


def test_a_product_price_that_is_not_a_number_is_refused(server: MockServer) -> None:
    event = _order()
    event["properties"]["products"][1]["price"] = "free"

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackPurchase", event)

    assert (caught.value.field, caught.value.rule) == ("products.1.price", "type")
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_import_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"code": status, "error": "no"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackPurchase", _order())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)


def test_a_batch_flattens_every_orders_events_into_one_import(server: MockServer) -> None:
    events = [_order(messageId="m1"), _order(messageId="m2")]

    statuses = run_batch(server, "trackPurchase", events)

    sent = server.requests[0].json()
    assert [s.status for s in statuses] == [200, 200]
    assert [e["properties"]["$insert_id"] for e in sent] == ["m1", "0m1", "1m1", "m2", "0m2", "1m2"]


def test_a_rejected_product_event_fails_only_its_order(server: MockServer) -> None:
    failed = [{"index": 2, "$insert_id": "1m1", "field": "properties.time", "message": "bad time"}]
    server.enqueue(MockResponse.json({"code": 400, "failed_records": failed}, status=400))

    statuses = run_batch(server, "trackPurchase", [_order(messageId="m1"), _order(messageId="m2")])

    assert [(s.status, s.error_message) for s in statuses] == [(400, "bad time"), (200, None)]
