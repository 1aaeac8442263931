"""Customer.io Track Page View: a person `page` entity named by the URL."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run, run_batch

PAGE = sample_event("page", properties={"url": "https://example.com/p1", "title": "P1"})
ENTITY = (
    b'{"type":"person","action":"page","name":"https://example.com/p1","id":"msg-789",'
    b'"attributes":{"url":"https://example.com/p1","title":"P1","anonymous_id":"anon-456"},'
    b'"timestamp":1714564800,"identifiers":{"id":"user-123"}}'
)


def test_a_page_call_becomes_a_page_entity(server: MockServer) -> None:
    run(server, "trackPageView", PAGE)

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api/v2/entity")
    assert request.app_headers == HEADERS
    assert request.body == ENTITY


def test_the_event_id_is_left_out_when_there_is_none(server: MockServer) -> None:
    run(server, "trackPageView", {**PAGE, "messageId": None})

    assert "id" not in server.requests[0].json()


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [({"url": {"@path": "$.nothing"}}, "url", "required"), ({"data": ["a"]}, "data", "type")],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackPageView", PAGE, fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "6"}, True, 6.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackPageView", PAGE)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_of_page_views_reports_each_item(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"errors": [{"batch_index": 1, "message": "bad"}]}, 207))

    statuses = run_batch(server, "trackPageView", [PAGE, PAGE])

    assert server.requests[0].body == b'{"batch":[' + ENTITY + b"," + ENTITY + b"]}"
    assert [(s.status, s.error_message) for s in statuses] == [(207, None), (400, "bad")]
