"""Mixpanel Identify User: `$identify` to /track and the profile to /engage, as forms."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, form_body, run

IDENTIFY_JSON = (
    '{"event":"$identify","properties":{"$identified_id":"user-123","$anon_id":"anon-456","token":"TOKEN"}}'
)
ENGAGE_JSON = (
    '{"$token":"TOKEN","$distinct_id":"user-123","$ip":"203.0.113.5","$set":{"plan":"pro",'
    '"$email":"jane@example.com","$first_name":"Jane","$last_name":"Doe","$name":"Jane Doe"}}'
)


def _by_path(server: MockServer) -> dict:
    return {request.path: request for request in server.requests}


def test_an_identify_links_the_anonymous_id_and_sets_the_profile(server: MockServer) -> None:
    responses = run(server, "identifyUser", sample_event("identify"))

    requests = _by_path(server)
    assert [r.status for r in responses] == [200, 200]
    assert sorted(requests) == ["/engage", "/track"]
    for request in requests.values():
        assert (request.method, request.app_headers) == ("POST", FORM_HEADERS)
    assert requests["/track"].body == form_body(IDENTIFY_JSON)
    assert requests["/engage"].body == form_body(ENGAGE_JSON)


def test_the_source_name_goes_on_the_identify_event(server: MockServer) -> None:
    run(server, "identifyUser", sample_event("identify", traits={}), sourceName="ios app")

    (request,) = server.requests
    assert request.path == "/track"
    assert request.form() == [
        (
            "data",
            '{"event":"$identify","properties":{"$identified_id":"user-123","$anon_id":"anon-456",'
            '"token":"TOKEN","segment_source_name":"ios app"}}',
        )
    ]


def test_without_an_anonymous_id_only_the_profile_is_set(server: MockServer) -> None:
    event = sample_event("identify", traits={"name": "J. Doe", "createdAt": "2024-01-01", "email": "j@x.io"})
    del event["anonymousId"]

    run(server, "identifyUser", event)

    (request,) = server.requests
    assert request.path == "/engage"
    assert request.body == form_body(
        '{"$token":"TOKEN","$distinct_id":"user-123","$ip":"203.0.113.5","$set":'
        '{"$created":"2024-01-01","$email":"j@x.io","$name":"J. Doe"}}'
    )


def test_traits_that_are_not_an_object_are_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "identifyUser", sample_event("identify", traits="pro"))

    assert (caught.value.field, caught.value.rule) == ("traits", "type")
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_engage_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    event = sample_event("identify")
    del event["anonymousId"]
    server.enqueue(MockResponse(status=status, body=b"0", headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "identifyUser", event)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
