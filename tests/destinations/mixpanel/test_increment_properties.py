"""Mixpanel Increment Properties: `$add` to the user profile through /engage."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, form_body, run


def _event(increment: object) -> dict:
    return sample_event(event="Game Played", properties={"increment": increment})


def test_numeric_properties_are_added_to_the_profile(server: MockServer) -> None:
    run(server, "incrementProperties", _event({"games": 1, "score": "-2.5", "coins": 10.0}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/engage", FORM_HEADERS)
    assert request.body == form_body(
        '{"$token":"TOKEN","$distinct_id":"user-123","$ip":"203.0.113.5",'
        '"$add":{"games":1,"score":-2.5,"coins":10}}'
    )


def test_nothing_to_increment_sends_nothing(server: MockServer) -> None:
    assert run(server, "incrementProperties", _event({})) is None
    assert server.requests == []


def test_a_missing_increment_object_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "incrementProperties", sample_event())

    assert (caught.value.field, caught.value.rule) == ("increment", "required")
    assert server.requests == []


def test_a_value_that_is_not_a_number_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "incrementProperties", _event({"games": "many"}))

    assert (caught.value.field, caught.value.rule, caught.value.status) == ("increment.games", "type", 400)
    assert server.requests == []


def test_more_than_20_properties_are_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "incrementProperties", _event({f"p{i}": 1 for i in range(21)}))

    assert (caught.value.field, caught.value.rule) == ("increment", "maxProperties")
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_engage_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, body=b"0", headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "incrementProperties", _event({"games": 1}))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
