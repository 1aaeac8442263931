"""Reason codes for failed and retried deliveries, as Segment's Delivery Overview shows them.

When the vendor answered, the reason is its HTTP status (`400`, `429`, `503`): that is
what a user looks up in the vendor's documentation. When the failure is the kit's own
verdict it is the kit's code (`PAYLOAD_VALIDATION_FAILED`, `INVALID_AUTHENTICATION`,
`OAUTH_REFRESH_FAILED`, `INVALID_SETTINGS`, ...). Transport failures use the Node.js
error names Segment reports (`ETIMEDOUT`, `ECONNREFUSED`, `ENOTFOUND`, ...).
"""

from __future__ import annotations

import errno
import socket

from sluiceway.kit import APIError, IntegrationError, ItemStatus, error_code_for_status
from sluiceway.kit.errors import NETWORK_ERROR, REQUEST_TIMEOUT

# Reasons of delivery's own.
DESTINATION_DISABLED = "DESTINATION_DISABLED"
MALFORMED_DELIVERY = "MALFORMED_DELIVERY"
ETIMEDOUT = "ETIMEDOUT"
ENOTFOUND = "ENOTFOUND"


def reason_for_code(code: str | None, status: int) -> str:
    """The status digits when the code is just the status's name, else the code."""
    if code == REQUEST_TIMEOUT:
        return ETIMEDOUT
    if code is None or code == error_code_for_status(status):
        return str(status)
    return code


def reason_for_error(error: IntegrationError) -> str:
    """The reason for an action that raised: the status only if the vendor answered.

    A kit or destination error with a status-like code (`NOT_FOUND` for an unknown
    action) keeps its code, so it is not mistaken for the vendor's own 404.
    """
    if isinstance(error, APIError):
        return str(error.status)
    if error.code == NETWORK_ERROR:
        return _network_reason(error)
    if error.code == REQUEST_TIMEOUT:
        return ETIMEDOUT
    return error.code


def reason_for_item(item: ItemStatus) -> str:
    """The reason for one failed item of a batch."""
    return reason_for_code(item.error_code, item.status)


def _network_reason(error: BaseException) -> str:
    """The errno name of the OS error under a network failure (`ECONNREFUSED`)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return ENOTFOUND
        if isinstance(cause, OSError) and cause.errno in errno.errorcode:
            return errno.errorcode[cause.errno]
        cause = cause.__cause__ or cause.__context__
    return NETWORK_ERROR
