"""Braze Track Purchase: one purchase object per product, batches counted in products."""

from __future__ import annotations

from typing import Any

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import BATCH_HEADERS, HEADERS, run, run_batch


def order(products: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    if products is None:
        products = [
            {"product_id": "p1", "price": 10, "quantity": 2, "sku": "S1"},
            {"product_id": "p2", "price": 10.5, "currency": "EUR"},
        ]
    properties = {"order_id": "o1", "revenue": 30.5, "products": products}
    return sample_event(
        **{
            "event": "Order Completed",
            "properties": properties,
            "traits": {"email": "t@x.com"},
            **overrides,
        }
    )


def test_an_order_becomes_one_purchase_per_product(server: MockServer) -> None:
    run(server, "trackPurchase", order())

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/track")
    assert request.app_headers == BATCH_HEADERS
    base = (
        '{"external_id":"user-123","email":"t@x.com","app_id":"APP_ID","time":"2024-05-01T12:00:01.000Z",'
        '"_update_existing_only":false,'
    )
    assert (
        request.body
        == (
            '{"purchases":[' + base + '"product_id":"p1","currency":"USD","price":10,"quantity":2,'
            '"properties":{"sku":"S1","order_id":"o1","revenue":30.5}},'
            + base
            + '"product_id":"p2","currency":"EUR","price":10.5,"properties":{"order_id":"o1","revenue":30.5}}]}'
        ).encode()
    )


def test_a_single_product_goes_without_the_batch_header(server: MockServer) -> None:
    run(server, "trackPurchase", order([{"product_id": "p1", "price": "4.5"}]))

    (request,) = server.requests
    assert request.app_headers == HEADERS
    assert request.json()["purchases"][0]["price"] == 4.5


def test_an_order_without_products_sends_nothing(server: MockServer) -> None:
    assert run(server, "trackPurchase", order([])) is None
    assert server.requests == []


@pytest.mark.parametrize(
    ("products", "field", "rule"),
    [
        ({"@path": "$.properties.nothing"}, "products", "required"),
        ([{"product_id": "p1"}], "products.0.price", "required"),
        ([{"product_id": "p1", "price": "cheap"}], "products.0.price", "type"),
    ],
)
def test_products_are_validated_before_any_request(
    server: MockServer, products: Any, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackPurchase", order(), {"products": products})

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "5"}, True, 5.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackPurchase", order())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_flattens_products_and_maps_braze_errors_back_to_their_order(
    server: MockServer,
) -> None:
    # Object 2 of the request is the first product of the second order.
    server.enqueue(
        MockResponse.json(
            {"message": "success", "errors": [{"type": "bad price", "index": 2}]}, 201
        )
    )
    orders = [order(), order(userId="u-2"), order([], userId="u-3")]

    statuses = run_batch(server, "trackPurchase", orders)

    (request,) = server.requests
    purchases = request.json()["purchases"]
    assert [(p["external_id"], p["product_id"]) for p in purchases] == [
        ("user-123", "p1"), ("user-123", "p2"), ("u-2", "p1"), ("u-2", "p2"),
    ]  # fmt: skip
    assert [(s.status, s.error_code, s.error_message) for s in statuses] == [
        (200, None, None),
        (400, "BAD_REQUEST", "bad price"),
        (
            400,
            "PAYLOAD_VALIDATION_FAILED",
            "This event was not sent to Braze because it did not contain any products.",
        ),
    ]
    assert statuses[0].sent == purchases[:2]


def test_a_batch_holds_at_most_75_products(server: MockServer) -> None:
    many = [{"product_id": f"p{i}", "price": 1} for i in range(40)]
    too_many = [{"product_id": f"p{i}", "price": 1} for i in range(76)]

    statuses = run_batch(
        server, "trackPurchase", [order(many), order(too_many), order(many), order()]
    )

    assert [(s.status, s.error_code, s.retryable) for s in statuses] == [
        (200, None, False),
        (413, "PAYLOAD_TOO_LARGE", False),
        (429, "RETRYABLE_ERROR", True),
        (200, None, False),
    ]
    assert len(server.requests[0].json()["purchases"]) == 42


def test_a_batch_with_nothing_to_send_makes_no_request(server: MockServer) -> None:
    statuses = run_batch(server, "trackPurchase", [order([]), order([], userId=None, traits={})])

    assert [s.status for s in statuses] == [400, 400]
    assert server.requests == []
