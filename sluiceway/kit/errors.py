"""The errors an action can end in, each with a stable code and a retry verdict.

Segment's rule, which delivery follows: 408, 423, 429 and every 5xx except 501 are worth
retrying; any other 4xx (and 501) will fail the same way again, so it is dropped.
Every error here is an `IntegrationError`, so one `except` catches them all.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

# Codes of our own. Codes for HTTP statuses come from `error_code_for_status`.
INVALID_AUTHENTICATION = "INVALID_AUTHENTICATION"
PAYLOAD_VALIDATION_FAILED = "PAYLOAD_VALIDATION_FAILED"
RETRYABLE_ERROR = "RETRYABLE_ERROR"
REFRESH_TOKEN_EXPIRED = "REFRESH_TOKEN_EXPIRED"
OAUTH_REFRESH_FAILED = "OAUTH_REFRESH_FAILED"
SELF_TIMEOUT = "SELF_TIMEOUT"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
NETWORK_ERROR = "NETWORK_ERROR"
INVALID_SETTINGS = "INVALID_SETTINGS"
MISCONFIGURED_FIELD = "MISCONFIGURED_FIELD"
UNKNOWN_ERROR = "UNKNOWN_ERROR"

_RETRYABLE_4XX = frozenset({408, 423, 429})

# Segment's names for statuses that Python's HTTPStatus spells differently or lacks.
_STATUS_NAMES = {
    301: "MOVED_PERMENANTLY",
    306: "SWITCH_PROXY",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    416: "RANGE_NOT_SATISFIABLE",
    418: "IM_A_TEAPOT",
    422: "UNPROCESSABLE_ENTITY",
    499: "CANCELLED",
    509: "BANDWIDTH_LIMIT_EXCEEDED",
    529: "SITE_IS_OVERLOADED",
}


def is_retryable_status(status: int) -> bool:
    """True for the statuses Segment retries: 408, 423, 429 and 5xx other than 501."""
    return status in _RETRYABLE_4XX or (status >= 500 and status != 501)


def error_code_for_status(status: int) -> str:
    """Segment's code for an HTTP status (`429` -> `TOO_MANY_REQUESTS`), else UNKNOWN_ERROR."""
    if status in _STATUS_NAMES:
        return _STATUS_NAMES[status]
    try:
        return HTTPStatus(status).name
    except ValueError:
        return UNKNOWN_ERROR


class IntegrationError(Exception):
    """An action failed; `code` says why, `status` decides whether delivery retries it."""

    def __init__(
        self,
        message: str,
        code: str | None = None,
        status: int = 400,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code or error_code_for_status(status)
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return is_retryable_status(self.status)

    def to_dict(self) -> dict[str, Any]:
        """The JSON a delivery log or API answer shows for this error."""
        out: dict[str, Any] = {"code": self.code, "status": self.status, "message": self.message}
        if self.retry_after is not None:
            out["retry_after"] = self.retry_after
        return out


class RetryableError(IntegrationError):
    """A transient failure: delivery should try again later without anyone fixing anything."""

    def __init__(
        self,
        message: str = "",
        status: int = 500,
        *,
        code: str = RETRYABLE_ERROR,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, code, status, retry_after=retry_after)

    @property
    def retryable(self) -> bool:
        return True


class PayloadValidationError(IntegrationError):
    """The mapped payload breaks a field's rule; `field` and `rule` say which (never retried)."""

    def __init__(
        self,
        message: str,
        *,
        field: str = "",
        rule: str = "",
        errors: tuple[tuple[str, str, str], ...] = (),
    ) -> None:
        super().__init__(message, PAYLOAD_VALIDATION_FAILED, 400)
        self.field = field
        self.rule = rule
        self.errors = errors or ((field, rule, message),)


class InvalidAuthenticationError(IntegrationError):
    """The credentials are wrong, expired or revoked: a person must fix them (never retried)."""

    def __init__(self, message: str = "", code: str = INVALID_AUTHENTICATION) -> None:
        super().__init__(message, code, 401)


class APIError(IntegrationError):
    """The destination's API answered with a non-2xx status; retried according to that status.

    `response` is the `Response` received, `retry_after` the seconds its Retry-After asked for.
    """

    def __init__(
        self,
        message: str,
        status: int,
        *,
        response: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, error_code_for_status(status), status, retry_after=retry_after)
        self.response = response


class SelfTimeoutError(IntegrationError):
    """The action ran past its execution deadline and was abandoned (retried, like a 408)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, SELF_TIMEOUT, 408)


class DefinitionError(ValueError):
    """A destination declaration (Python or YAML) breaks a rule; `where` names the spot."""

    def __init__(self, where: str, rule: str) -> None:
        super().__init__(f"{where}: {rule}" if where else rule)
        self.where = where
        self.rule = rule
