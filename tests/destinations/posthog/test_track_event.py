"""PostHog Track Event against a local server: /batch/ bodies, page and screen, errors."""

from __future__ import annotations

import pytest

from sluiceway.destinations.posthog import destination as posthog
from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run, run_batch


def _preset(name: str) -> dict:
    return next(p["mapping"] for p in posthog.quick_setup() if p["name"] == name)


def test_the_sample_event_is_captured_as_a_batch_of_one(server: MockServer) -> None:
    response = run(server, "event", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target, request.app_headers) == ("POST", "/batch/", JSON_HEADERS)
    assert request.body == (
        b'{"api_key":"phc_x","historical_migration":false,"batch":[{"event":"Product Viewed",'
        b'"timestamp":"2024-05-01T12:00:01.000Z","properties":{"product_id":"p1","price":19.99,'
        b'"email":"jane@example.com","distinct_id":"user-123","$process_person_profile":true,'
        b'"$ip":"203.0.113.5"}}]}'
    )


def test_anonymous_capture_turns_person_processing_off(server: MockServer) -> None:
    mapping = {**posthog.actions["event"].default_mapping(), "anonymous_event_capture": True}

    run(server, "event", sample_event(), mapping, geoip_disable=True, historical_migration=True)

    body = server.requests[0].json()
    assert body["historical_migration"] is True
    assert body["batch"][0]["properties"]["$process_person_profile"] is False
    assert body["batch"][0]["properties"]["$geoip_disable"] is True


def test_a_page_call_through_its_preset_is_a_pageview_with_its_url(server: MockServer) -> None:
    page = sample_event("page", name="P1", properties={"title": "P1"})

    run(server, "event", page, _preset("Page View"))

    assert server.requests[0].json()["batch"] == [
        {
            "event": "$pageview",
            "timestamp": "2024-05-01T12:00:01.000Z",
            "properties": {
                "title": "P1",
                "$current_url": "https://example.com/p1",
                "distinct_id": "user-123",
                "$process_person_profile": True,
                "$ip": "203.0.113.5",
            },
        }
    ]


def test_a_screen_call_through_its_preset_is_a_screen_event_with_its_name(server: MockServer) -> None:
    screen = sample_event("screen", name="Home")

    run(server, "event", screen, _preset("Screen View"))

    event = server.requests[0].json()["batch"][0]
    assert (event["event"], event["properties"]["$screen_name"]) == ("$screen", "Home")


def test_a_page_without_a_url_is_refused_before_sending(server: MockServer) -> None:
    page = sample_event("page", name="P1")
    del page["context"]["page"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "event", page, _preset("Page View"))

    assert (caught.value.field, caught.value.rule) == ("current_url", "required")
    assert server.requests == []


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [({"userId": None}, "distinct_id", "required"), ({"context": {"ip": "not-an-ip"}}, "ip_address", "format")],
)
def test_fields_are_validated_before_any_request(server: MockServer, change: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "event", sample_event(**change))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_capture_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"type": "error"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "event", sample_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)


def test_a_batch_is_one_request_of_every_event(server: MockServer) -> None:
    events = [sample_event(event="A"), sample_event(event="B", userId="user-2")]

    statuses = run_batch(server, events)

    (request,) = server.requests
    assert [s.status for s in statuses] == [200, 200]
    assert (request.target, request.app_headers) == ("/batch/", JSON_HEADERS)
    assert [(e["event"], e["properties"]["distinct_id"]) for e in request.json()["batch"]] == [
        ("A", "user-123"),
        ("B", "user-2"),
    ]


def test_in_a_batch_a_page_without_a_url_fails_alone(server: MockServer) -> None:
    broken = sample_event("page", name="P2")
    del broken["context"]["page"]
    events = [sample_event("page", name="P1"), broken]

    statuses = run_batch(server, events, _preset("Page View"))

    assert [(s.status, s.error_code) for s in statuses] == [(200, None), (400, "PAYLOAD_VALIDATION_FAILED")]
    assert len(server.requests[0].json()["batch"]) == 1


def test_a_rejected_batch_fails_every_item_by_its_status(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"type": "error"}, status=503, headers={"Retry-After": "9"}))

    statuses = run_batch(server, [sample_event(), sample_event()])

    assert [(s.status, s.retryable, s.retry_after) for s in statuses] == [(503, True, 9.0)] * 2


def test_batches_hold_100_events_by_default() -> None:
    assert posthog.actions["event"].batch_size({}) == 100
