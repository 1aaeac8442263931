"""JSON in and out for the management API, and the one shape every error takes.

Every error a client can cause answers 4xx with `{"error": {"status", "code", "field",
"rule", "message"}}`: `field` names what was wrong and `rule` the rule it broke, so a
form can put the message beside the right input. Errors from the store, the engines
(FQL, triggers, mapping-kit, filters) and the kit are translated here in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sluiceway import filters, fql, mapping, triggers
from sluiceway.kit import IntegrationError
from sluiceway.store import ConflictError, NotFoundError, StoreError

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 2 * 1024 * 1024


class ApiError(Exception):
    """A refused request: HTTP status, the field at fault and the rule it broke."""

    def __init__(self, status: int, field: str, rule: str, *, code: str | None = None) -> None:
        super().__init__(f"{field}: {rule}" if field else rule)
        self.status = status
        self.field = field
        self.rule = rule
        self.code = code or _CODES.get(status, "bad_request")

    def to_dict(self) -> dict[str, Any]:
        message = f"{self.field}: {self.rule}" if self.field else self.rule
        return {
            "error": {
                "status": self.status,
                "code": self.code,
                "field": self.field,
                "rule": self.rule,
                "message": message,
            }
        }


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
}


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


async def read_json(request: Request, *, allow_empty: bool = False) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 that says what is wrong with it."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise ApiError(413, "body", f"must be at most {MAX_BODY_BYTES} bytes")
    if not body.strip():
        if allow_empty:
            return {}
        raise ApiError(400, "body", "must be a JSON object")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "body", f"is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "body", "must be a JSON object")
    return data


def field(
    body: Mapping[str, Any],
    name: str,
    kind: type | tuple[type, ...],
    *,
    required: bool = True,
    default: Any = None,
) -> Any:
    """`body[name]` checked against `kind` (bool is not an int here)."""
    if name not in body or body[name] is None:
        if required:
            raise ApiError(400, name, "is required")
        return default
    value = body[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise ApiError(400, name, f"must be {_kind_names(kinds)}")
    if not isinstance(value, kinds):
        raise ApiError(400, name, f"must be {_kind_names(kinds)}")
    return value


def _kind_names(kinds: tuple[type, ...]) -> str:
    names = {
        str: "a string",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        dict: "an object",
        list: "a list",
    }
    return " or ".join(names.get(kind, kind.__name__) for kind in kinds)


def only_fields(body: Mapping[str, Any], allowed: set[str]) -> None:
    for key in body:
        if key not in allowed:
            raise ApiError(
                400, key, f"is not a known field (expected one of: {', '.join(sorted(allowed))})"
            )


# What as_api_error knows. build_app registers a handler per class: Starlette answers
# those inside the app, while a handler for bare Exception runs in the outermost
# middleware, which re-raises and so logs a traceback for a plain 404.
KNOWN_ERRORS: tuple[type[Exception], ...] = (
    ApiError,
    StoreError,
    filters.FilterError,
    triggers.TriggerError,
    fql.FqlError,
    mapping.MappingError,
    IntegrationError,
)


def as_api_error(exc: Exception) -> ApiError | None:
    """The API's view of an error raised by a lower layer, or None if it is a bug."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, NotFoundError):
        return ApiError(404, exc.field, exc.rule)
    if isinstance(exc, ConflictError):
        return ApiError(409, exc.field, exc.rule)
    if isinstance(exc, StoreError):
        return ApiError(400, exc.field, exc.rule)
    if isinstance(exc, filters.FilterError):
        return ApiError(400, exc.field, exc.rule)
    if isinstance(exc, triggers.TriggerError):
        return ApiError(400, "subscribe", str(exc))
    if isinstance(exc, fql.FqlError):
        return ApiError(400, "if", str(exc))
    if isinstance(exc, mapping.MappingError):
        return ApiError(400, "mapping", str(exc))
    if isinstance(exc, IntegrationError):
        return ApiError(400, getattr(exc, "field", "") or "", exc.message, code=exc.code)
    return None


async def handle_error(request: Request, exc: Exception) -> Response:
    """Starlette exception handler: known errors become 4xx JSON, the rest a logged 500."""
    if isinstance(exc, HTTPException):
        error = ApiError(exc.status_code, "", str(exc.detail))
        return JSONResponse(error.to_dict(), status_code=exc.status_code, headers=exc.headers)
    error = as_api_error(exc)
    if error is None:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        error = ApiError(500, "", "internal error", code="internal")
    return JSONResponse(error.to_dict(), status_code=error.status)
