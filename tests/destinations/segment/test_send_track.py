"""Send Track: `POST /v1/track`, one-by-one or as a `/v1/batch`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import CONTEXT, HEADERS, IDS, anonymous, run, run_batch

PROPERTIES = b'"properties":{"product_id":"p1","price":19.99,"email":"jane@example.com"}'


def test_a_track_call_is_forwarded_in_segments_spec_shape(server: MockServer) -> None:
    response = run(server, "sendTrack", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/track", HEADERS)
    assert request.body == b"{" + IDS + b',"event":"Product Viewed",' + CONTEXT + b"," + PROPERTIES + b"}"


def test_a_batch_is_one_request_and_a_message_without_ids_fails_alone(server: MockServer) -> None:
    events = [sample_event(), anonymous(sample_event()), sample_event(event="Product Added", context=None)]

    statuses = run_batch(server, "sendTrack", events)

    assert [(s.status, s.error_code) for s in statuses] == [(200, None), (400, "PAYLOAD_VALIDATION_FAILED"), (200, None)]
    (request,) = server.requests
    assert (request.target, request.app_headers) == ("/v1/batch", HEADERS)
    assert request.body == (
        b'{"batch":[{' + IDS + b',"event":"Product Viewed",' + CONTEXT + b"," + PROPERTIES + b',"type":"track"},'
        b"{" + IDS + b',"event":"Product Added",' + PROPERTIES + b',"type":"track"}]}'
    )


def test_a_rejected_batch_fails_every_sent_message_with_its_status(server: MockServer) -> None:
    server.enqueue(MockResponse(status=429, headers={"Retry-After": "5"}))

    statuses = run_batch(server, "sendTrack", [sample_event(), sample_event()])

    assert [(s.status, s.retryable, s.retry_after) for s in statuses] == [(429, True, 5.0)] * 2


@pytest.mark.parametrize(
    ("event", "mapping", "field", "rule"),
    [
        (anonymous(sample_event()), {}, "user_id", "required"),
        (sample_event(event=""), {}, "event_name", "required"),
        (sample_event(), {"timestamp": "the other day"}, "timestamp", "format"),
    ],
)
def test_an_invalid_track_is_refused_before_any_request(
    server: MockServer, event: dict, mapping: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendTrack", event, mapping)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []
