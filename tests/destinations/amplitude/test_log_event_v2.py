"""Log Event V2 against a local server standing in for api2.amplitude.com."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, default_mapping, execute, preset_mapping, settings

EVENT_PROPERTIES = (
    b'"event_properties":{"product_id":"p1","price":19.99,"email":"jane@example.com"}'
)


def test_a_track_call_through_the_preset_posts_one_event_to_the_http_v2_api(
    server: MockServer,
) -> None:
    server.enqueue(MockResponse.json({"code": 200, "events_ingested": 1}))

    response = execute(
        "logEventV2", sample_event(), preset_mapping("Track Calls"), settings(server)
    )

    (request,) = server.requests
    assert response.data == {"code": 200, "events_ingested": 1}
    assert (request.method, request.target) == ("POST", "/api2/2/httpapi")
    assert request.app_headers == JSON_HEADERS
    assert request.body == (
        b'{"api_key":"AMP_KEY","events":[{"user_id":"user-123","device_id":"anon-456",'
        b'"event_type":"Product Viewed","time":1714564800000,' + EVENT_PROPERTIES + b","
        b'"language":"en-US","ip":"203.0.113.5","platform":"Web",'
        b'"user_properties":{"$setOnce":{"initial_referrer":"https://google.com/"},'
        b'"$set":{"referrer":"https://google.com/"}},"library":"analytics.js"}]}'
    )


def test_page_calls_are_named_viewed_and_the_page_name(server: MockServer) -> None:
    event = sample_event("page", name="Pricing", properties={"path": "/pricing"})

    execute("logEventV2", event, preset_mapping("Page Calls"), settings(server))

    assert server.requests[0].json()["events"][0]["event_type"] == "Viewed Pricing"


def test_the_eu_region_and_the_batch_endpoint_with_a_minimum_id_length(server: MockServer) -> None:
    mapping = default_mapping("logEventV2", use_batch_endpoint=True, min_id_length=3, user_id="abc")

    execute("logEventV2", sample_event(), mapping, settings(server, endpoint="europe"))

    (request,) = server.requests
    assert request.target == "/eu/batch"
    body = request.json()
    assert body["options"] == {"min_id_length": 3}
    assert body["events"][0]["user_id"] == "abc"
    assert "use_batch_endpoint" not in body["events"][0]


def test_device_context_user_agent_session_and_add_operations(server: MockServer) -> None:
    event = sample_event(
        properties={"revenue": 10, "price": 5, "quantity": 2},
        integrations={"Actions Amplitude": {"session_id": "1714564700000"}},
        traits={"plan": "pro"},
    )
    event["context"].update(
        device={"type": "ios", "id": "idfv-1", "advertisingId": "ad-1", "model": "iPhone14,2"},
        os={"name": "iOS", "version": "17.4"},
        userAgent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        campaign={"source": "newsletter", "name": "spring"},
    )
    mapping = default_mapping(
        "logEventV2",
        add={"logins": 1},
        includeRawUserAgent=True,
        insert_id={"@path": "$.messageId"},
    )

    execute("logEventV2", event, mapping, settings(server))

    sent = server.requests[0].json()["events"][0]
    assert sent == {
        "os_name": "iOS",
        "os_version": "17.4",
        "device_manufacturer": "Apple",
        "device_model": "iPhone14,2",
        "device_type": "mobile",
        "user_agent": event["context"]["userAgent"],
        "user_id": "user-123",
        "device_id": "idfv-1",
        "event_type": "Product Viewed",
        "session_id": 1714564700000,
        "time": 1714564800000,
        "event_properties": {"revenue": 10, "price": 5, "quantity": 2},
        "user_properties": {
            "plan": "pro",
            "$setOnce": {
                "initial_referrer": "https://google.com/",
                "initial_utm_source": "newsletter",
                "initial_utm_campaign": "spring",
            },
            "$set": {
                "referrer": "https://google.com/",
                "utm_source": "newsletter",
                "utm_campaign": "spring",
            },
            "$add": {"logins": 1},
        },
        "platform": "iOS",
        "language": "en-US",
        "ip": "203.0.113.5",
        "idfa": "ad-1",
        "idfv": "idfv-1",
        "adid": "ad-1",
        "insert_id": "msg-789",
        "library": "analytics.js",
    }


def test_library_auto_sends_segment(server: MockServer) -> None:
    mapping = default_mapping("logEventV2", library2={"behavior": "auto"})

    execute("logEventV2", sample_event(), mapping, settings(server))

    assert server.requests[0].json()["events"][0]["library"] == "segment"


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"event_type": {"@path": "$.properties.missing"}}, "event_type", "required"),
        ({"event_properties": "not an object"}, "event_properties", "type"),
        ({"session_id": "not a date"}, "session_id", "format"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        execute(
            "logEventV2", sample_event(), default_mapping("logEventV2", **fields), settings(server)
        )

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert field in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_amplitude_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute("logEventV2", sample_event(), default_mapping("logEventV2"), settings(server))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
