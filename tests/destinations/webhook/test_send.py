"""Webhook's Send against a local server: exact requests, signing, batching, errors."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

import pytest

from sluiceway.destinations.webhook import destination as webhook
from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

SEND = webhook.actions["send"]
# JSON.stringify(sample_event()): compact, keys in order, 19.99 as written.
SAMPLE_EVENT_JSON = (
    b'{"type":"track","event":"Product Viewed","userId":"user-123","anonymousId":"anon-456",'
    b'"messageId":"msg-789","timestamp":"2024-05-01T12:00:00.000Z","receivedAt":"2024-05-01T12:00:01.000Z",'
    b'"properties":{"product_id":"p1","price":19.99,"email":"jane@example.com"},'
    b'"context":{"ip":"203.0.113.5","locale":"en-US","library":{"name":"analytics.js","version":"2.11.1"},'
    b'"page":{"url":"https://example.com/p1","referrer":"https://google.com/","title":"P1"},'
    b'"traits":{"email":"jane@example.com"}}}'
)


def _mapping(server: MockServer, **fields: Any) -> dict[str, Any]:
    return {**SEND.default_mapping(), "url": server.url + "/hooks/segment", **fields}


def _send(event: dict, mapping: dict, settings: dict | None = None) -> Any:
    return asyncio.run(webhook.execute("send", event, mapping, settings or {}))


def _signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def test_the_default_mapping_posts_the_whole_event_as_json(server: MockServer) -> None:
    response = _send(sample_event(), _mapping(server))

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("POST", "/hooks/segment")
    assert request.app_headers == {"user-agent": "Segment (Actions)", "content-type": "application/json"}
    assert request.body == SAMPLE_EVENT_JSON


def test_a_shared_secret_signs_the_body_with_hmac_sha1(server: MockServer) -> None:
    _send(sample_event(), _mapping(server), {"sharedSecret": "abc123"})

    (request,) = server.requests
    assert request.header("x-signature") == _signature("abc123", SAMPLE_EVENT_JSON)
    assert request.body == SAMPLE_EVENT_JSON


def test_method_headers_and_data_can_be_customised(server: MockServer) -> None:
    mapping = _mapping(server, method="PUT", headers={"Custom-Header": "Custom-Value"}, data={"cool": True, "n": 2.0})

    _send(sample_event(), mapping)

    (request,) = server.requests
    assert request.method == "PUT"
    assert request.app_headers == {
        "user-agent": "Segment (Actions)",
        "custom-header": "Custom-Value",
        "content-type": "application/json",
    }
    assert request.body == b'{"cool":true,"n":2}'


def test_a_batch_is_one_request_with_an_array_signed_over_its_first_item(server: MockServer) -> None:
    events = [sample_event(properties={"cool": False}), sample_event(properties={"cool": True})]
    mapping = _mapping(server, data={"@path": "$.properties"})

    statuses = asyncio.run(webhook.execute_batch("send", events, mapping, {"sharedSecret": "abc123"}))

    (request,) = server.requests
    assert [s.status for s in statuses] == [200, 200]
    assert (request.method, request.target) == ("POST", "/hooks/segment")
    assert request.body == b'[{"cool":false},{"cool":true}]'
    assert request.header("x-signature") == _signature("abc123", b'{"cool":false}')


def test_in_a_batch_an_invalid_event_fails_alone(server: MockServer) -> None:
    events = [sample_event(), sample_event(properties={"hook": "not a url"}), sample_event(userId="user-2")]
    hook = {"@path": "$.properties.hook"}
    mapping = _mapping(
        server,
        url={"@if": {"exists": hook, "then": hook, "else": server.url + "/hooks/segment"}},
        data={"user": {"@path": "$.userId"}},
    )

    statuses = asyncio.run(webhook.execute_batch("send", events, mapping, {}))

    assert [(s.status, s.error_code) for s in statuses] == [
        (200, None),
        (400, "PAYLOAD_VALIDATION_FAILED"),
        (200, None),
    ]
    assert "/url" in (statuses[1].error_message or "")
    assert server.requests[0].body == b'[{"user":"user-123"},{"user":"user-2"}]'


def test_a_batch_the_endpoint_rejects_is_retried_per_its_status(server: MockServer) -> None:
    server.enqueue(MockResponse(status=503, headers={"Retry-After": "12"}))

    statuses = asyncio.run(webhook.execute_batch("send", [sample_event()] * 2, _mapping(server), {}))

    assert [(s.status, s.retryable, s.retry_after) for s in statuses] == [(503, True, 12.0)] * 2


def test_batches_group_by_url_method_and_headers_up_to_4000_events() -> None:
    def payload(**fields: Any) -> dict[str, Any]:
        mapping = {**SEND.default_mapping(), "url": "https://a.test/", "headers": {"k": "1"}, **fields}
        return SEND.build_payload(mapping, sample_event())

    a, same, other = payload(), payload(data={"x": 1}), payload(method="PUT")

    assert SEND.batch_key(a) == SEND.batch_key(same) != SEND.batch_key(other)
    assert [SEND.batch_size({"batch_size": n}) for n in (0, 250, 10000)] == [1000, 250, 4000]


@pytest.mark.parametrize(
    ("mapping", "field", "rule"),
    [
        ({"method": "POST"}, "url", "required"),
        ({"url": "example.com/hook"}, "url", "format"),
        ({"url": "https://example.com", "method": "GET"}, "method", "enum"),
        ({"url": "https://example.com", "headers": "X-Key: 1"}, "headers", "type"),
    ],
)
def test_fields_are_validated_before_any_request(server: MockServer, mapping: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        _send(sample_event(), {"method": "POST", **mapping})

    assert (caught.value.field, caught.value.rule, caught.value.code) == (field, rule, "PAYLOAD_VALIDATION_FAILED")
    assert server.requests == []


def test_a_header_value_http_cannot_carry_is_a_payload_error(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError):
        _send(sample_event(), _mapping(server, headers={"Custom-Header": "هيثم"}))

    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "7"}, True, 7.0), (404, {}, False, None)],
)
def test_errors_are_classified_as_segment_classifies_them(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        _send(sample_event(), _mapping(server))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
