"""Log Event (legacy) against a local server standing in for api2.amplitude.com."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, default_mapping, execute, settings


def test_the_default_mapping_posts_the_event_with_referrer_user_properties(
    server: MockServer,
) -> None:
    execute("logEvent", sample_event(), default_mapping("logEvent"), settings(server))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api2/2/httpapi")
    assert request.app_headers == JSON_HEADERS
    assert request.body == (
        b'{"api_key":"AMP_KEY","events":[{"user_id":"user-123","device_id":"anon-456",'
        b'"event_type":"Product Viewed","time":1714564800000,'
        b'"event_properties":{"product_id":"p1","price":19.99,"email":"jane@example.com"},'
        b'"language":"en-US","ip":"203.0.113.5","platform":"Web",'
        b'"user_properties":{"$set":{"referrer":"https://google.com/"},'
        b'"$setOnce":{"initial_referrer":"https://google.com/"}},"library":"analytics.js"}]}'
    )


def test_utm_parameters_join_the_mapped_user_properties(server: MockServer) -> None:
    event = sample_event(traits={"plan": "pro", "referrer": "stale"})
    event["context"]["campaign"] = {"source": "google", "medium": "cpc", "name": "spring"}
    mapping = default_mapping("logEvent", user_properties={"@path": "$.traits"})

    execute("logEvent", event, mapping, settings(server))

    assert server.requests[0].json()["events"][0]["user_properties"] == {
        "plan": "pro",
        "$set": {
            "utm_source": "google",
            "utm_medium": "cpc",
            "utm_campaign": "spring",
            "referrer": "https://google.com/",
        },
        "$setOnce": {
            "initial_utm_source": "google",
            "initial_utm_medium": "cpc",
            "initial_utm_campaign": "spring",
            "initial_referrer": "https://google.com/",
        },
    }


def test_revenue_fields_are_not_sent_and_platform_is_cased(server: MockServer) -> None:
    event = sample_event(properties={"revenue": 9.5, "price": 9.5, "quantity": 1})
    event["context"]["device"] = {"type": "ANDROID"}
    mapping = default_mapping("logEvent", referrer="", use_batch_endpoint=True)

    execute("logEvent", event, mapping, settings(server, endpoint="europe"))

    (request,) = server.requests
    sent = request.json()["events"][0]
    assert request.target == "/eu/batch"
    assert sent["platform"] == "Android"
    assert not {"revenue", "price", "quantity", "revenueType", "user_properties"} & sent.keys()


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"event_type": ""}, "event_type", "required"),
        ({"time": "yesterday-ish"}, "time", "format"),
        ({"min_id_length": "five"}, "min_id_length", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        execute("logEvent", sample_event(), default_mapping("logEvent", **fields), settings(server))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_amplitude_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute("logEvent", sample_event(), default_mapping("logEvent"), settings(server))

    error = caught.value
    assert (error.status, error.retryable, error.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
