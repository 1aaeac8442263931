"""The tracking API's answers: `{"success": true}`, or an error Segment's SDKs can read.

The error body puts `code` and `message` at the top level, not under `error` as the
management API does, because that is where Segment's SDKs look: analytics-python
raises `APIError(status, payload["code"], payload["message"])` and logs both, so the
developer sees *why* the request was refused without a packet capture.

Every answer carries CORS headers: analytics.js posts from web pages, and a browser
hides a response (even an error) from the page unless it is allowed to see it.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response

CORS_HEADERS: Mapping[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Retry-After, X-RateLimit-Reset",
}
PREFLIGHT_HEADERS: Mapping[str, str] = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding",
    "Access-Control-Max-Age": "86400",
}

_SUCCESS = orjson.dumps({"success": True})


class TrackingError(Exception):
    """A refused request: the status, a stable `code`, and a sentence naming the problem.

    `field` is the part of the request at fault (`body`, `batch`, `writeKey`, ...);
    `headers` carries `Retry-After` for 429 and 503.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"success": False, "code": self.code, "message": self.message, "field": self.field}
        return _json(orjson.dumps(body), self.status, {**self.headers, **CORS_HEADERS})


def success() -> Response:
    return _json(_SUCCESS, 200, CORS_HEADERS)


def _json(body: bytes, status: int, headers: Mapping[str, str]) -> Response:
    return Response(body, status_code=status, headers=dict(headers), media_type="application/json")
