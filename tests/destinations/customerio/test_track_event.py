"""Customer.io Track Event: a person `event` entity, singly or in a v2 batch."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run, run_batch

ENTITY = (
    b'{"type":"person","action":"event","name":"Product Viewed","id":"msg-789",'
    b'"attributes":{"product_id":"p1","price":19.99,"email":"jane@example.com","anonymous_id":"anon-456"},'
    b'"timestamp":1714564800,"identifiers":{"id":"user-123"}}'
)


def test_a_track_call_becomes_an_event_entity(server: MockServer) -> None:
    response = run(server, "trackEvent", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("POST", "/api/v2/entity")
    assert request.app_headers == HEADERS
    assert request.body == ENTITY


def test_an_anonymous_event_is_identified_by_its_anonymous_id(server: MockServer) -> None:
    run(server, "trackEvent", sample_event(userId=None))

    assert server.requests[0].body == (
        b'{"type":"person","action":"event","name":"Product Viewed","id":"msg-789",'
        b'"attributes":{"product_id":"p1","price":19.99,"email":"jane@example.com"},'
        b'"timestamp":1714564800,"identifiers":{"anonymous_id":"anon-456"}}'
    )


@pytest.mark.parametrize(
    ("user_id", "identifiers"),
    [("cio_abc", {"cio_id": "abc"}), ("jane@example.com", {"email": "jane@example.com"})],
)
def test_cio_and_email_person_ids_pick_their_identifier(
    server: MockServer, user_id: str, identifiers: dict
) -> None:
    run(server, "trackEvent", sample_event(userId=user_id))

    assert server.requests[0].json()["identifiers"] == identifiers


def test_iso_dates_in_attributes_become_unix_seconds_unless_turned_off(server: MockServer) -> None:
    properties = {
        "at": "2024-05-01T12:00:00.999Z",
        "day": "2024-05-02",
        "nested": {"at": "2024-05-01T14:00:00+02:00"},
        "text": "May 1",
    }
    event = sample_event(event="2024-05-01", properties=properties, timestamp="1714564800")

    run(server, "trackEvent", event)
    run(server, "trackEvent", event, {"convert_timestamp": False})

    converted, kept = (request.json() for request in server.requests)
    assert converted["attributes"] == {
        "at": 1714564800,
        "day": 1714608000,
        "nested": {"at": 1714564800},
        "text": "May 1",
        "anonymous_id": "anon-456",
    }
    assert (converted["name"], converted["timestamp"]) == ("2024-05-01", "1714564800")
    assert kept["attributes"]["at"] == "2024-05-01T12:00:00.999Z"


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"name": {"@path": "$.nothing"}}, "name", "required"),
        ({"data": "flat"}, "data", "type"),
        ({"batch_size": 500}, "batch_size", "maximum"),
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
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "4"}, True, 4.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackEvent", sample_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_posts_every_entity_and_listed_errors_fail_alone(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json(
            {"errors": [{"batch_index": 1, "reason": "invalid", "message": "name too long"}]}, 207
        )
    )

    statuses = run_batch(
        server, "trackEvent", [sample_event(), sample_event(userId="u-2"), sample_event()]
    )

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api/v2/batch")
    assert request.app_headers == HEADERS
    assert (
        request.body
        == b'{"batch":['
        + ENTITY
        + b","
        + ENTITY.replace(b'"user-123"', b'"u-2"')
        + b","
        + ENTITY
        + b"]}"
    )
    assert [(s.status, s.error_message) for s in statuses] == [
        (207, None),
        (400, "name too long"),
        (207, None),
    ]
    assert not statuses[1].retryable


def test_a_rejected_batch_fails_every_item_with_its_status(server: MockServer) -> None:
    server.enqueue(MockResponse(status=503, headers={"Retry-After": "30"}))

    statuses = run_batch(server, "trackEvent", [sample_event(), sample_event()])

    assert [(s.status, s.retryable, s.retry_after) for s in statuses] == [(503, True, 30.0)] * 2
