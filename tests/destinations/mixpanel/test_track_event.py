"""Mixpanel Track Event against a local server: /import bodies, batches, errors."""

from __future__ import annotations

import asyncio
import time

import pytest

from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.destinations.mixpanel._properties import browser_name, browser_version
from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import IMPORT_HEADERS, run, run_batch

SAMPLE_IMPORT = (
    b'[{"event":"Product Viewed","properties":{"time":1714564800000,"ip":"203.0.113.5","id":"user-123",'
    b'"$anon_id":"anon-456","distinct_id":"user-123","$current_url":"https://example.com/p1",'
    b'"$device_id":"anon-456","$identified_id":"user-123","$insert_id":"msg-789","$lib_version":"2.11.1",'
    b'"$locale":"en-US","$referrer":"https://google.com/","$source":"segment","$user_id":"user-123",'
    b'"mp_lib":"Segment Actions: analytics.js","event_original_name":"Product Viewed",'
    b'"product_id":"p1","price":19.99,"email":"jane@example.com"}}]'
)


def test_the_sample_event_is_imported_as_an_array_of_one(server: MockServer) -> None:
    response = run(server, "trackEvent", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("POST", "/import?strict=1")
    assert request.app_headers == IMPORT_HEADERS
    assert request.body == SAMPLE_IMPORT


def test_the_project_token_authenticates_when_there_is_no_secret(server: MockServer) -> None:
    run(server, "trackEvent", sample_event(), apiSecret=None, strictMode="0", sourceName="web")

    (request,) = server.requests
    assert request.target == "/import?strict=0"
    assert request.header("authorization") == "Basic VE9LRU46"  # base64("TOKEN:")
    assert request.json()[0]["properties"]["segment_source_name"] == "web"


def test_the_region_picks_the_host(server: MockServer) -> None:
    overrides = {"https://api-in.mixpanel.com": server.url + "/in"}
    mapping = mixpanel.actions["trackEvent"].default_mapping()
    settings = {"projectToken": "TOKEN", "apiRegion": "IN 🇮🇳", "base_url_override": overrides}

    asyncio.run(mixpanel.execute("trackEvent", sample_event(), mapping, settings))

    assert server.requests[0].target == "/in/import?strict=1"


def test_reserved_event_properties_cannot_overwrite_the_events_identity(server: MockServer) -> None:
    event = sample_event(properties={"distinct_id": "x", "$insert_id": "y", "time": 1, "plan": "pro"})
    event["context"]["userAgent"] = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.91 Safari/537.36"
    )

    run(server, "trackEvent", event)

    properties = server.requests[0].json()[0]["properties"]
    assert (properties["distinct_id"], properties["$insert_id"], properties["time"]) == (
        "user-123", "msg-789", 1714564800000,
    )
    assert (properties["$browser"], properties["$browser_version"], properties["plan"]) == (
        "Chrome", "124.0.6367.91", "pro",
    )


@pytest.mark.parametrize(
    ("user_agent", "browser", "version"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile/15E148 Safari/604.1", "Mobile Safari", "17.0"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Firefox", "125.0"),
        ("Mozilla/5.0 Chrome/120.0 Safari/537.36 Edg/120.0.2210.91", "Microsoft Edge", "120.0.2210.91"),
        ("Mozilla/5.0 Chrome/120.0 Safari/537.36 OPR/106.0.0.0", "Opera", "106.0.0.0"),
        ("curl/8.0", "", None),
    ],
)
def test_browsers_are_detected_from_the_user_agent(user_agent: str, browser: str, version: str | None) -> None:
    assert (browser_name(user_agent), browser_version(user_agent)) == (browser, version)


def test_a_missing_event_name_is_refused_before_sending(server: MockServer) -> None:
    event = sample_event()
    del event["event"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackEvent", event)

    assert (caught.value.field, caught.value.rule) == ("event", "required")
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "30"}, True, 30.0)],
)
def test_import_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"code": status, "error": "no"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "trackEvent", sample_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)


def test_a_batch_is_one_import_of_every_event(server: MockServer) -> None:
    events = [sample_event(messageId="m1"), sample_event(messageId="m2", event="Product Added")]

    statuses = run_batch(server, "trackEvent", events)

    (request,) = server.requests
    assert [s.status for s in statuses] == [200, 200]
    assert (request.target, request.app_headers) == ("/import?strict=1", IMPORT_HEADERS)
    sent = request.json()
    assert [(e["event"], e["properties"]["$insert_id"]) for e in sent] == [("Product Viewed", "m1"), ("Product Added", "m2")]


def test_a_strict_import_fails_only_the_records_mixpanel_rejected(server: MockServer) -> None:
    failed = [{"index": 1, "$insert_id": "m2", "field": "properties.time", "message": "'properties.time' is invalid"}]
    server.enqueue(MockResponse.json({"code": 400, "num_records_imported": 2, "failed_records": failed}, status=400))
    events = [sample_event(messageId=f"m{i}") for i in (1, 2, 3)]

    statuses = run_batch(server, "trackEvent", events)

    assert [(s.status, s.error_code, s.error_message) for s in statuses] == [
        (200, None, None),
        (400, "PAYLOAD_VALIDATION_FAILED", "'properties.time' is invalid"),
        (200, None, None),
    ]
    assert [s.retryable for s in statuses] == [False, False, False]


def test_a_rate_limited_batch_is_retried_as_a_whole(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"code": 429, "error": "rate limited"}, status=429, headers={"Retry-After": "5"}))

    statuses = run_batch(server, "trackEvent", [sample_event(), sample_event()])

    assert [(s.status, s.retryable, s.retry_after, s.error_message) for s in statuses] == [
        (429, True, 5.0, "rate limited")
    ] * 2


def test_a_batch_answer_without_json_takes_the_http_status(server: MockServer) -> None:
    server.enqueue(MockResponse(status=502, body=b"<html>bad gateway</html>"))

    statuses = run_batch(server, "trackEvent", [sample_event()])

    assert [(s.status, s.error_code, s.retryable) for s in statuses] == [(502, "BAD_GATEWAY", True)]


def test_batch_size_defaults_to_1000_and_is_capped_at_2000() -> None:
    action = mixpanel.actions["trackEvent"]

    assert [action.batch_size({"batch_size": n}) for n in (None, 50, 5000)] == [1000, 50, 2000]


def test_event_time_is_epoch_ms_and_now_when_missing(server: MockServer) -> None:
    before = int(time.time() * 1000)
    undated = sample_event()
    del undated["timestamp"], undated["messageId"]

    run(server, "trackEvent", sample_event(timestamp="2024-05-01T14:00:00.250+02:00"))
    run(server, "trackEvent", undated)

    dated, now = (request.json()[0]["properties"] for request in server.requests)
    assert dated["time"] == 1714564800250
    assert before <= now["time"] <= int(time.time() * 1000)
    assert len(now["$insert_id"]) == 16
