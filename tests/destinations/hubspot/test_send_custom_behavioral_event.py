"""Send Custom Behavioral Event against a local server standing in for api.hubapi.com."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run

ACTION = "sendCustomBehavioralEvent"
# What a user maps on top of the defaults: the event definition and one property.
FIELDS = {
    "eventName": {"@template": "pe123456_{{event}}"},
    "properties": {"hs_product_id": {"@path": "$.properties.product_id"}},
}


def test_a_viewed_product_is_sent_as_hubspots_qualified_event(server: MockServer) -> None:
    server.enqueue(MockResponse(status=204, body=b""))

    response = run(server, ACTION, sample_event(), FIELDS)

    (request,) = server.requests
    assert response.status == 204
    assert (request.method, request.target) == ("POST", "/events/v3/send")
    assert request.app_headers == JSON_HEADERS
    assert request.body == (
        b'{"eventName":"pe123456_product_viewed","occurredAt":"2024-05-01T12:00:00.000Z",'
        b'"email":"jane@example.com","properties":{"hs_product_id":"p1"}}'
    )


def test_nested_property_values_are_flattened_for_hubspot(server: MockServer) -> None:
    event = sample_event(
        properties={"tags": ["a", 2, True, {"k": 1}], "meta": {"x": 1.0}, "gone": None, "name": "  P1 ", "n": 19.0}
    )

    run(server, ACTION, event, {**FIELDS, "properties": {"@path": "$.properties"}})

    assert server.requests[0].json()["properties"] == {
        "tags": 'a;2;true;{"k":1}',
        "meta": '{"x":1}',
        "name": "P1",
        "n": 19,
    }


def test_the_user_token_and_object_id_are_sent_and_properties_left_out_when_unmapped(server: MockServer) -> None:
    fields = {"eventName": "pe123456_signed.up", "utk": "abc-utk", "objectId": "901", "email": ""}

    run(server, ACTION, sample_event(), fields)

    assert server.requests[0].body == (
        b'{"eventName":"pe123456_signed_up","occurredAt":"2024-05-01T12:00:00.000Z","utk":"abc-utk","objectId":"901"}'
    )


def test_without_a_hub_id_any_pe_prefix_is_accepted(server: MockServer) -> None:
    run(server, ACTION, sample_event(), {**FIELDS, "eventName": "PE987_Order Completed"}, portalId=None)

    assert server.requests[0].json()["eventName"] == "pe987_order_completed"


@pytest.mark.parametrize(
    ("fields", "portal_id", "field", "rule"),
    [
        ({"eventName": {"@path": "$.properties.missing"}}, "123456", "eventName", "required"),
        ({"eventName": "pe999_product_viewed"}, "123456", "eventName", "pattern"),
        ({"eventName": "product_viewed"}, None, "eventName", "pattern"),
        ({"email": "not-an-email"}, "123456", "email", "format"),
        ({"email": {"@path": "$.properties.missing"}}, "123456", "email", "required"),
        ({"properties": "flat"}, "123456", "properties", "type"),
    ],
)
def test_bad_fields_are_refused_before_any_request(
    server: MockServer, fields: dict, portal_id: str | None, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, ACTION, sample_event(), {**FIELDS, **fields}, portalId=portal_id)

    assert (caught.value.field, caught.value.rule, caught.value.retryable) == (field, rule, False)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_hubspot_errors_are_retried_only_when_transient(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"status": "error", "message": "nope"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, sample_event(), FIELDS)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
