"""Where a tracking request carries its write key.

Segment accepts the key as the HTTP Basic username (password empty: server libraries
and analytics-node do this) or as `writeKey` in the body (analytics.js, which cannot
set headers without a CORS preflight, and analytics-python, which sends both). A
Bearer token means Segment's OAuth flow, where the key still comes in the body; we do
not issue OAuth tokens, so the token itself is not checked, only the key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from ._errors import TrackingError


def basic_write_key(authorization: str | None) -> str | None:
    """The Basic-auth username, or None when the header is absent or not Basic.

    A header that says Basic but cannot be decoded is refused rather than ignored:
    the caller meant to authenticate and should hear that it did not work.
    """
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, ValueError) as exc:
        raise TrackingError(
            401,
            "invalid_write_key",
            "the Authorization header is not valid Basic credentials",
            field="Authorization",
        ) from exc
    username, _, _password = decoded.partition(":")
    return username or None


def body_write_key(body: Mapping[str, Any]) -> str | None:
    """`writeKey` from the body; a non-string value is refused (it cannot be a key)."""
    key = body.get("writeKey")
    if key is None or key == "":
        return None
    if not isinstance(key, str):
        raise TrackingError(401, "invalid_write_key", "writeKey must be a string", field="writeKey")
    return key
