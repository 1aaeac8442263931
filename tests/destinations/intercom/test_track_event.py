"""Intercom's Track Event against a local server standing in for api.intercom.io."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run, search_answer

ACTION = "trackEvent"


def test_a_viewed_product_is_recorded_for_the_user(server: MockServer) -> None:
    server.enqueue(MockResponse(status=202, body=b""))

    response = run(server, ACTION, sample_event())

    (request,) = server.requests
    assert response.status == 202
    assert (request.method, request.target) == ("POST", "/events")
    assert request.app_headers == JSON_HEADERS
    assert request.body == (
        b'{"event_name":"Product Viewed","created_at":1714564800,"user_id":"user-123",'
        b'"email":"jane@example.com","metadata":{"product_id":"p1","price":19.99}}'
    )


def test_revenue_becomes_a_price_in_cents(server: MockServer) -> None:
    properties = {"order_id": "o1", "revenue": 19.99, "currency": "EUR", "email": "jane@example.com"}

    run(server, ACTION, sample_event(event="Order Completed", properties=properties))

    assert server.requests[0].json()["metadata"] == {"order_id": "o1", "price": {"amount": 1999, "currency": "EUR"}}


def test_revenue_without_a_currency_is_in_dollars(server: MockServer) -> None:
    run(server, ACTION, sample_event(properties={"revenue": "5"}))

    assert server.requests[0].json()["metadata"] == {"price": {"amount": 500, "currency": "USD"}}


def test_an_event_with_only_an_email_is_filed_under_the_contact_it_names(server: MockServer) -> None:
    server.enqueue(search_answer("c-42"), MockResponse(status=202, body=b""))

    run(server, ACTION, sample_event(userId=None), {"user_id": {"@path": "$.userId"}})

    search, event = server.requests
    assert (search.method, search.target) == ("POST", "/contacts/search")
    assert search.body == b'{"query":{"field":"email","operator":"=","value":"jane@example.com"}}'
    assert event.body == (
        b'{"event_name":"Product Viewed","created_at":1714564800,"email":"jane@example.com","id":"c-42",'
        b'"metadata":{"product_id":"p1","price":19.99}}'
    )


@pytest.mark.parametrize("matches", [(), ("c-1", "c-2")])
def test_an_email_that_names_no_single_contact_fails_for_good(server: MockServer, matches: tuple) -> None:
    server.enqueue(search_answer(*matches))

    with pytest.raises(IntegrationError) as caught:
        run(server, ACTION, sample_event(userId=None))

    assert (caught.value.status, caught.value.code, caught.value.retryable) == (404, "CONTACT_NOT_FOUND", False)
    assert [r.target for r in server.requests] == ["/contacts/search"]


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"event_name": {"@path": "$.missing"}}, "event_name", "required"),
        ({"created_at": {"@path": "$.missing"}}, "created_at", "required"),
        ({"created_at": "not a date"}, "created_at", "format"),
        ({"email": "jane"}, "email", "format"),
        ({"revenue": "a lot"}, "revenue", "type"),
    ],
)
def test_bad_fields_are_refused_before_any_request(server: MockServer, fields: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, ACTION, sample_event(), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_intercom_errors_are_retried_only_when_transient(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"type": "error.list", "errors": []}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, sample_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
