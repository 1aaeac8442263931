"""Mixpanel Alias: a `$create_alias` event to /track as a `data=` form."""

from __future__ import annotations

import pytest

from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, form_body, run


def _alias_event() -> dict:
    return sample_event("alias", previousId="anon-456", userId="user-123")


def test_an_alias_call_creates_the_alias(server: MockServer) -> None:
    run(server, "alias", _alias_event(), sourceName="web")

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/track", FORM_HEADERS)
    assert request.body == form_body(
        '{"event":"$create_alias","properties":{"distinct_id":"anon-456","alias":"user-123",'
        '"token":"TOKEN","segment_source_name":"web"}}'
    )


def test_the_alias_falls_back_to_the_anonymous_id(server: MockServer) -> None:
    event = _alias_event()
    del event["userId"]

    run(server, "alias", event)

    assert server.requests[0].form() == [
        ("data", '{"event":"$create_alias","properties":{"distinct_id":"anon-456","alias":"anon-456","token":"TOKEN"}}')
    ]


def test_alias_has_no_default_subscription() -> None:
    assert mixpanel.actions["alias"].default_subscription is None


def test_a_distinct_id_that_is_not_a_string_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "alias", _alias_event(), {"distinct_id": {"a": 1}})

    assert (caught.value.field, caught.value.rule) == ("distinct_id", "type")
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_alias_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, body=b"0", headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "alias", _alias_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
