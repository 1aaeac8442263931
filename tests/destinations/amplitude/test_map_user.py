"""Map User against a local server standing in for Amplitude's User Mapping API."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, default_mapping, execute, form_body, settings


def _alias_event() -> dict:
    return sample_event("alias", previousId="anon-user-1", userId="user-123")


def test_an_alias_maps_the_previous_id_to_the_user_id_on_api_amplitude_com(
    server: MockServer,
) -> None:
    execute("mapUser", _alias_event(), default_mapping("mapUser"), settings(server))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api/usermap")
    assert request.app_headers == FORM_HEADERS
    assert request.body == form_body(
        ("api_key", "AMP_KEY"),
        ("mapping", '[{"user_id":"anon-user-1","global_user_id":"user-123"}]'),
    )


def test_the_eu_host_and_a_minimum_id_length_as_options(server: MockServer) -> None:
    mapping = default_mapping("mapUser", min_id_length=4)

    execute("mapUser", _alias_event(), mapping, settings(server, endpoint="europe"))

    (request,) = server.requests
    assert request.target == "/eu/usermap"
    assert request.body == form_body(
        ("api_key", "AMP_KEY"),
        ("mapping", '[{"user_id":"anon-user-1","global_user_id":"user-123"}]'),
        ("options", '{"min_id_length":4}'),
    )


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"user_id": {"@path": "$.context"}}, "user_id", "type"),
        ({"min_id_length": 2.5}, "min_id_length", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        execute("mapUser", _alias_event(), default_mapping("mapUser", **fields), settings(server))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_amplitude_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute("mapUser", _alias_event(), default_mapping("mapUser"), settings(server))

    error = caught.value
    assert (error.status, error.retryable, error.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
