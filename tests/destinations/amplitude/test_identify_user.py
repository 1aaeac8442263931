"""Identify User against a local server standing in for Amplitude's Identify API."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import (
    ERROR_CASES,
    FORM_HEADERS,
    default_mapping,
    execute,
    form_body,
    preset_mapping,
    settings,
)

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
)


def test_an_identify_call_through_the_preset_posts_the_identification_form(
    server: MockServer,
) -> None:
    server.enqueue(MockResponse(status=200, body="success"))

    response = execute(
        "identifyUser", sample_event("identify"), preset_mapping("Identify Calls"), settings(server)
    )

    (request,) = server.requests
    assert response.content == "success"
    assert (request.method, request.target) == ("POST", "/api2/identify")
    assert request.app_headers == FORM_HEADERS
    assert request.body == form_body(
        ("api_key", "AMP_KEY"),
        (
            "identification",
            '{"user_id":"user-123","device_id":"anon-456","user_properties":{"email":"jane@example.com",'
            '"firstName":"Jane","lastName":"Doe","plan":"pro","$set":{"referrer":"https://google.com/"},'
            '"$setOnce":{"initial_referrer":"https://google.com/"}},"language":"en-US",'
            '"platform":"Web","library":"segment"}',
        ),
    )


def test_eu_options_and_a_parsed_user_agent(server: MockServer) -> None:
    event = sample_event("identify")
    event["context"].update(userAgent=ANDROID_CHROME, library={"name": "analytics-android"})
    mapping = default_mapping("identifyUser", min_id_length=2, paying=True, referrer="")

    execute("identifyUser", event, mapping, settings(server, endpoint="europe"))

    (request,) = server.requests
    assert request.target == "/eu/identify"
    assert request.body == form_body(
        ("api_key", "AMP_KEY"),
        (
            "identification",
            '{"os_name":"Chrome","os_version":"124","device_manufacturer":"Google",'
            '"device_model":"Pixel 8","device_type":"mobile","user_id":"user-123",'
            '"device_id":"anon-456","user_properties":{"email":"jane@example.com",'
            '"firstName":"Jane","lastName":"Doe","plan":"pro"},"language":"en-US",'
            '"paying":true,"library":"segment"}',
        ),
        ("options", '{"min_id_length":2}'),
    )


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"user_properties": "pro"}, "user_properties", "type"),
        ({"paying": "sometimes"}, "paying", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    mapping = default_mapping("identifyUser", **fields)

    with pytest.raises(PayloadValidationError) as caught:
        execute("identifyUser", sample_event("identify"), mapping, settings(server))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_amplitude_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute(
            "identifyUser",
            sample_event("identify"),
            default_mapping("identifyUser"),
            settings(server),
        )

    error = caught.value
    assert (error.status, error.retryable, error.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
