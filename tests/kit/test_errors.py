"""Error classification: which failures delivery retries, and the codes they carry."""

from __future__ import annotations

import pytest

from sluiceway.kit import (
    APIError,
    IntegrationError,
    InvalidAuthenticationError,
    PayloadValidationError,
    RetryableError,
    SelfTimeoutError,
    error_code_for_status,
    is_retryable_status,
)


@pytest.mark.parametrize("status", [408, 423, 429, 500, 502, 503, 504, 505, 511, 529, 598, 599])
def test_timeouts_locks_rate_limits_and_server_errors_are_retryable(status: int) -> None:
    assert is_retryable_status(status)
    assert APIError("boom", status).retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 413, 422, 501])
def test_other_client_errors_and_501_are_permanent(status: int) -> None:
    assert not is_retryable_status(status)
    assert not APIError("boom", status).retryable


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "BAD_REQUEST"),
        (401, "UNAUTHORIZED"),
        (301, "MOVED_PERMENANTLY"),  # Segment's spelling
        (413, "PAYLOAD_TOO_LARGE"),
        (422, "UNPROCESSABLE_ENTITY"),
        (429, "TOO_MANY_REQUESTS"),
        (503, "SERVICE_UNAVAILABLE"),
        (529, "SITE_IS_OVERLOADED"),
        (599, "UNKNOWN_ERROR"),
    ],
)
def test_api_errors_carry_segments_name_for_the_status(status: int, code: str) -> None:
    assert error_code_for_status(status) == code
    assert APIError("boom", status).code == code


def test_each_error_type_has_its_stable_code_and_status() -> None:
    cases = [
        (RetryableError("later"), "RETRYABLE_ERROR", 500, True),
        (PayloadValidationError("bad", field="url", rule="required"), "PAYLOAD_VALIDATION_FAILED", 400, False),
        (InvalidAuthenticationError("expired"), "INVALID_AUTHENTICATION", 401, False),
        (InvalidAuthenticationError("no", "OAUTH_REFRESH_FAILED"), "OAUTH_REFRESH_FAILED", 401, False),
        (SelfTimeoutError("too slow"), "SELF_TIMEOUT", 408, True),
    ]
    for error, code, status, retryable in cases:
        assert (error.code, error.status, error.retryable) == (code, status, retryable)
        assert isinstance(error, IntegrationError)


def test_a_retryable_error_is_retried_whatever_status_it_names() -> None:
    assert RetryableError("vendor says try again", status=400).retryable


def test_an_error_reports_retry_after_in_its_json_form() -> None:
    error = APIError("slow down", 429, retry_after=7.0)

    assert error.to_dict() == {
        "code": "TOO_MANY_REQUESTS",
        "status": 429,
        "message": "slow down",
        "retry_after": 7.0,
    }
