"""Custom Event: any track call as a GA4 event named after it."""

from __future__ import annotations

import pytest

from sluiceway.kit import IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import JSON_HEADERS, WEB_TARGET, run


def test_the_sample_event_becomes_an_event_named_after_it_without_properties(server: MockServer) -> None:
    response = run(server, "customEvent", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("POST", WEB_TARGET)
    assert request.app_headers == JSON_HEADERS
    assert request.body == (
        b'{"client_id":"user-123","events":[{"name":"Product_Viewed","params":{"engagement_time_msec":1}}],'
        b'"timestamp_micros":1714564800000000}'
    )


def test_params_user_properties_consent_and_a_lowercased_name_are_sent(server: MockServer) -> None:
    mapping = {
        "name": "  Video  Played ",
        "lowercase": True,
        "user_id": {"@path": "$.userId"},
        "params": {"product": {"@path": "$.properties.product_id"}, "price": {"@path": "$.properties.price"}},
        "user_properties": {"plan": "pro", "seats": 3},
        "engagement_time_msec": 250,
        "timestamp_micros": "1714564800123456",
        "ad_user_data_consent": "GRANTED",
        "ad_personalization_consent": "DENIED",
    }

    run(server, "customEvent", sample_event(), mapping)

    assert server.requests[0].body == (
        b'{"client_id":"user-123","user_id":"user-123","events":[{"name":"video__played",'
        b'"params":{"engagement_time_msec":250,"product":"p1","price":19.99}}],'
        b'"user_properties":{"plan":{"value":"pro"},"seats":{"value":3}},"timestamp_micros":1714564800123456,'
        b'"consent":{"ad_user_data":"GRANTED","ad_personalization":"DENIED"}}'
    )


def test_an_app_stream_sends_the_app_instance_and_the_raw_firebase_app_id(server: MockServer) -> None:
    mapping = {"data_stream_type": "Mobile App", "app_instance_id": "a1b2c3"}

    run(server, "customEvent", sample_event(), mapping, firebaseAppId="1:1234:android:abcd")

    (request,) = server.requests
    assert request.target == "/mp/collect?api_secret=SECRET&firebase_app_id=1:1234:android:abcd"
    assert request.json()["app_instance_id"] == "a1b2c3"
    assert "client_id" not in request.json()


def test_an_app_stream_without_a_firebase_app_id_is_misconfigured(server: MockServer) -> None:
    mapping = {"data_stream_type": "Mobile App", "app_instance_id": "a1b2c3"}

    with pytest.raises(IntegrationError) as caught:
        run(server, "customEvent", sample_event(), mapping)

    assert (caught.value.code, caught.value.status, caught.value.retryable) == ("INVALID_SETTINGS", 400, False)
    assert server.requests == []


@pytest.mark.parametrize(
    ("event", "mapping", "field", "rule"),
    [
        (sample_event(event=""), {}, "name", "required"),
        (sample_event(), {"data_stream_type": "Desktop"}, "data_stream_type", "enum"),
        (sample_event(), {"data_stream_type": "Mobile App"}, "app_instance_id", "required"),
        (sample_event(), {"params": {"nested": {"a": 1}}}, "params.nested", "type"),
        (sample_event(), {"params": {"list": [1, 2]}}, "params.list", "type"),
        (sample_event(), {"user_properties": {"tags": ["a"]}}, "user_properties.tags", "type"),
        (sample_event(timestamp="yesterday"), {}, "timestamp_micros", "format"),
        (sample_event(), {"ad_user_data_consent": "YES"}, "ad_user_data_consent", "enum"),
    ],
)
def test_invalid_payloads_are_refused_before_any_request(
    server: MockServer, event: dict, mapping: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "customEvent", event, mapping, firebaseAppId="1:1234:android:abcd")

    assert (caught.value.field, caught.value.rule, caught.value.status) == (field, rule, 400)
    assert server.requests == []
