"""Braze Track Event against a local server standing in for the REST endpoint."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import BATCH_HEADERS, HEADERS, run, run_batch

EVENT_JSON = (
    '{"external_id":"user-123","email":"jane@example.com","app_id":"APP_ID","name":"Product Viewed",'
    '"time":"2024-05-01T12:00:01.000Z","properties":{"product_id":"p1","price":19.99,'
    '"email":"jane@example.com"},"_update_existing_only":false}'
)


def test_a_track_call_becomes_one_event_timed_at_received_at(server: MockServer) -> None:
    response = run(server, "trackEvent", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("POST", "/users/track")
    assert request.app_headers == HEADERS
    assert request.body == ('{"events":[' + EVENT_JSON + "]}").encode()


def test_the_email_falls_back_to_properties_and_a_full_alias_is_sent(server: MockServer) -> None:
    event = sample_event(context={}, userId=None)
    alias = {"alias_name": "a-1", "alias_label": "crm", "extra": "dropped"}

    run(server, "trackEvent", event, {"user_alias": alias, "time": "2024-05-01T14:00:00+02:00"})

    (sent,) = server.requests[0].json()["events"]
    assert sent["email"] == "jane@example.com"
    assert sent["user_alias"] == {"alias_label": "crm", "alias_name": "a-1"}
    assert sent["time"] == "2024-05-01T12:00:00.000Z"
    assert "external_id" not in sent


def test_without_any_identifier_nothing_is_sent(server: MockServer) -> None:
    event = sample_event(userId=None, context={}, properties={"x": 1})

    with pytest.raises(IntegrationError) as caught:
        run(server, "trackEvent", event, {"user_alias": {"alias_name": "only-a-name"}})

    assert (caught.value.status, caught.value.retryable) == (400, False)
    assert "external_id" in caught.value.message
    assert server.requests == []


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"name": {"@path": "$.nothing"}}, "name", "required"),
        ({"time": "not a date"}, "time", "format"),
        ({"properties": "flat"}, "properties", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackEvent", sample_event(), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "3"}, True, 3.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"message": "nope"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackEvent", sample_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_is_one_request_and_braze_index_errors_fail_only_their_items(
    server: MockServer,
) -> None:
    server.enqueue(
        MockResponse.json(
            {
                "message": "success",
                "errors": [{"type": "'name' is required", "input_array": "events", "index": 1}],
            },
            status=201,
        )
    )
    events = [
        sample_event(),
        sample_event(userId=None, context={}, properties={}),
        sample_event(userId="u-2"),
    ]

    statuses = run_batch(server, "trackEvent", events, {"name": {"@path": "$.userId"}})

    (request,) = server.requests
    assert request.app_headers == BATCH_HEADERS
    assert [event["external_id"] for event in request.json()["events"]] == ["user-123", "u-2"]
    assert request.body.startswith(
        b'{"events":[{"external_id":"user-123","email":"jane@example.com","app_id"'
    )
    assert [(s.status, s.error_code) for s in statuses] == [
        (200, None),
        (400, "PAYLOAD_VALIDATION_FAILED"),
        (400, "BAD_REQUEST"),
    ]
    assert statuses[2].error_message == "'name' is required"


def test_a_rejected_batch_gives_every_sent_item_the_answer(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json({"message": "Too many"}, status=429, headers={"Retry-After": "9"})
    )

    statuses = run_batch(server, "trackEvent", [sample_event(), sample_event(userId="u-2")])

    assert [(s.status, s.retryable, s.retry_after, s.error_message) for s in statuses] == [
        (429, True, 9.0, "Too many")
    ] * 2


def test_a_single_item_batch_carries_no_batch_header(server: MockServer) -> None:
    statuses = run_batch(server, "trackEvent", [sample_event()])

    assert statuses[0].ok
    assert server.requests[0].app_headers == HEADERS
    assert server.requests[0].body == ('{"events":[' + EVENT_JSON + "]}").encode()
