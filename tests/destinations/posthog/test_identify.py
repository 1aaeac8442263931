"""PostHog Identify against a local server: `$identify` with `$set` to /i/v0/e/."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run


def test_an_identify_sets_the_person_properties(server: MockServer) -> None:
    run(server, "identify", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/i/v0/e/", JSON_HEADERS)
    assert request.body == (
        b'{"event":"$identify","api_key":"phc_x","distinct_id":"user-123","properties":{"$set":'
        b'{"email":"jane@example.com","firstName":"Jane","lastName":"Doe","plan":"pro"},'
        b'"$ip":"203.0.113.5"},"timestamp":"2024-05-01T12:00:00.000Z"}'
    )


def test_geoip_can_be_disabled(server: MockServer) -> None:
    event = sample_event("identify")
    del event["context"]["ip"]

    run(server, "identify", event, geoip_disable=True)

    assert server.requests[0].json()["properties"] == {
        "$set": {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "plan": "pro"},
        "$geoip_disable": True,
    }


def test_missing_traits_are_refused_before_sending(server: MockServer) -> None:
    event = sample_event("identify")
    del event["traits"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "identify", event)

    assert (caught.value.field, caught.value.rule) == ("properties", "required")
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_capture_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"type": "error"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "identify", sample_event("identify"))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
