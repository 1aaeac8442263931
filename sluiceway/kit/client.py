"""The request client an action's `perform` receives as `request`.

    response = await request("https://api.example.com/v1/track", method="POST", json=body)

It behaves like Segment's: every request carries `user-agent: Segment (Actions)`;
`json=` writes JSON.stringify's bytes with `content-type: application/json`; `form=`
writes URLSearchParams' bytes; `body=` sends text or bytes as given; `params=` builds the
query string; `username`/`password` become Basic auth. Options returned by the
destination's `extend_request` apply to every request and per-call options override them.
A relative URL is joined to the `base_url` option. The instance's `base_url_override`
setting then re-aims any URL at another origin (a local mock in tests, a proxy in prod).

Answers other than 2xx raise `APIError` (unless `throw_http_errors=False`); timeouts and
network failures raise `RetryableError`. Each request times out after the destination's
timeout (default 10 s), which no request may raise above `MAX_TIMEOUT`.
"""

from __future__ import annotations

import base64
import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

from sluiceway._js import js_string

from ._encoding import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    TEXT_CONTENT_TYPE,
    json_body,
    url_search_params,
)
from .errors import (
    NETWORK_ERROR,
    REQUEST_TIMEOUT,
    APIError,
    IntegrationError,
    PayloadValidationError,
    RetryableError,
)

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 30.0
USER_AGENT = "Segment (Actions)"
BASE_URL_OVERRIDE = "base_url_override"

_UNSET: Any = object()
_OPTION_NAMES = frozenset(
    {
        "method",
        "headers",
        "json",
        "form",
        "body",
        "params",
        "username",
        "password",
        "timeout",
        "throw_http_errors",
        "base_url",
    }
)


@dataclass(frozen=True)
class SentRequest:
    """What went over the wire, kept beside the response for testers and delivery logs."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None


@dataclass(frozen=True)
class Response:
    """A destination's answer: status, headers, text, and `data` when the text is JSON."""

    status: int
    headers: httpx.Headers
    content: str
    data: Any
    request: SentRequest
    raw: bytes = field(repr=False, default=b"")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def cap_timeout(seconds: float | None) -> float:
    """A request timeout within (0, MAX_TIMEOUT]; None means the default."""
    if seconds is None or seconds <= 0:
        return DEFAULT_TIMEOUT
    return min(float(seconds), MAX_TIMEOUT)


def redact_url(url: str) -> str:
    """The URL without credentials or query string, safe to put in an error message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _merge_headers(*layers: Mapping[str, Any] | None) -> dict[str, str]:
    """Later layers win. Names are sent lowercased, as Node's fetch sends them."""
    merged: dict[str, str] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            if value is None:
                merged.pop(name.lower(), None)
            else:
                merged[name.lower()] = value if isinstance(value, str) else js_string(value)
    return merged


def _rewrite(url: str, override: str | Mapping[str, str] | None) -> str:
    """Aim `url` at the override's origin (and path prefix), keeping its path and query."""
    if not override:
        return url
    parts = urlsplit(url)
    if isinstance(override, str):
        target = override
    else:
        origin = f"{parts.scheme}://{parts.netloc}"
        target = override.get(origin) or override.get(parts.netloc) or ""
        if not target:
            return url
    base = urlsplit(target)
    path = base.path.rstrip("/") + (parts.path or "/")
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))


@dataclass(frozen=True)
class _Prepared:
    sent: SentRequest
    timeout: float
    throw_http_errors: bool

    def httpx_arguments(self) -> dict[str, Any]:
        return {
            "method": self.sent.method,
            "url": self.sent.url,
            "headers": list(self.sent.headers),
            "content": self.sent.body,
            "timeout": self.timeout,
        }

    def transport_error(self, exc: Exception) -> IntegrationError:
        """A timeout or network failure is retryable; a URL no client can request is not."""
        where = f"{self.sent.method} {redact_url(self.sent.url)}"
        if isinstance(exc, httpx.TimeoutException):
            message = f"{where} timed out after {self.timeout:g} s"
            return RetryableError(message, 408, code=REQUEST_TIMEOUT)
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return IntegrationError(f"{where} cannot be requested: {exc}", "BAD_REQUEST", 400)
        detail = str(exc) or type(exc).__name__
        return RetryableError(f"{where} failed: {detail}", 500, code=NETWORK_ERROR)


class _Builder:
    """Turns (url, options) into the bytes to send, and a raw answer into a Response."""

    def __init__(
        self,
        defaults: Mapping[str, Any] | None,
        timeout: float,
        override: str | Mapping[str, str] | None,
    ) -> None:
        self.defaults = dict(defaults or {})
        unknown = set(self.defaults) - _OPTION_NAMES
        if unknown:
            raise IntegrationError(
                f"extend_request returned unknown options: {', '.join(sorted(unknown))}",
                "NOT_IMPLEMENTED",
                501,
            )
        self.timeout = cap_timeout(timeout)
        self.override = override
        self.responses: list[Response] = []

    def prepare(self, url: str, options: dict[str, Any]) -> _Prepared:
        given = {key: value for key, value in options.items() if value is not _UNSET}
        opts = {**self.defaults, **given}
        headers = _merge_headers(
            {"user-agent": USER_AGENT}, self.defaults.get("headers"), given.get("headers")
        )
        content = self._content(opts, headers)
        if opts.get("username") is not None or opts.get("password") is not None:
            pair = f"{opts.get('username') or ''}:{opts.get('password') or ''}"
            headers["authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        for name, value in headers.items():
            if not value.isascii() or any(ch in value for ch in "\r\n\0"):
                raise PayloadValidationError(
                    f"{value!r} is not a legal HTTP header value",
                    field=f"headers.{name}",
                    rule="header value",
                )
        sent = SentRequest(
            str(opts.get("method") or "GET").upper(),
            self._url(url, opts),
            tuple(headers.items()),
            content,
        )
        timeout = cap_timeout(opts.get("timeout")) if opts.get("timeout") else self.timeout
        return _Prepared(sent, timeout, bool(opts.get("throw_http_errors", True)))

    def _url(self, url: str, opts: Mapping[str, Any]) -> str:
        base = opts.get("base_url")
        if base and "://" not in url:
            url = str(base).rstrip("/") + "/" + url.lstrip("/")
        params = opts.get("params")
        if params:
            url += ("&" if "?" in url else "?") + url_search_params(params)
        return _rewrite(url, self.override)

    @staticmethod
    def _content(opts: Mapping[str, Any], headers: dict[str, str]) -> bytes | None:
        if opts.get("json") is not None:
            headers.setdefault("content-type", JSON_CONTENT_TYPE)
            return json_body(opts["json"])
        if opts.get("form") is not None:
            headers.setdefault("content-type", FORM_CONTENT_TYPE)
            return url_search_params(opts["form"]).encode()
        body = opts.get("body")
        if isinstance(body, str):
            headers.setdefault("content-type", TEXT_CONTENT_TYPE)
            return body.encode()
        return bytes(body) if body is not None else None

    def finish(self, prepared: _Prepared, raw: httpx.Response) -> Response:
        content = raw.content
        text = content.decode(raw.encoding or "utf-8", errors="replace")
        try:
            data = orjson.loads(content) if content else None
        except orjson.JSONDecodeError:
            data = None
        response = Response(raw.status_code, raw.headers, text, data, prepared.sent, content)
        self.responses.append(response)
        if prepared.throw_http_errors and not response.ok:
            raise APIError(
                _failure_message(prepared.sent, response.status),
                response.status,
                response=response,
                retry_after=response.retry_after,
            )
        return response


def _failure_message(sent: SentRequest, status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown Status"
    return f"{sent.method} {redact_url(sent.url)} answered {status} {phrase}"


_CLIENT_ERRORS = (httpx.HTTPError, httpx.InvalidURL)


class RequestClient:
    """The asynchronous client given to `async def perform(request, ...)`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        defaults: Mapping[str, Any] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        base_url_override: str | Mapping[str, str] | None = None,
    ) -> None:
        self._http = http
        self._builder = _Builder(defaults, timeout, base_url_override)

    @property
    def responses(self) -> list[Response]:
        """Every response this client received, in order (for testers and delivery logs)."""
        return self._builder.responses

    async def __call__(
        self,
        url: str,
        *,
        method: str = _UNSET,
        headers: Mapping[str, Any] | None = _UNSET,
        json: Any = _UNSET,
        form: Any = _UNSET,
        body: str | bytes | None = _UNSET,
        params: Any = _UNSET,
        username: str | None = _UNSET,
        password: str | None = _UNSET,
        timeout: float | None = _UNSET,
        throw_http_errors: bool = _UNSET,
        base_url: str | None = _UNSET,
    ) -> Response:
        options = {k: v for k, v in locals().items() if k not in ("self", "url")}
        prepared = self._builder.prepare(url, options)
        try:
            raw = await self._http.request(**prepared.httpx_arguments())
        except _CLIENT_ERRORS as exc:
            raise prepared.transport_error(exc) from exc
        return self._builder.finish(prepared, raw)


class SyncRequestClient:
    """The same client for a plain `def perform(request, ...)`, which runs in a worker thread."""

    def __init__(
        self,
        http: httpx.Client,
        defaults: Mapping[str, Any] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        base_url_override: str | Mapping[str, str] | None = None,
    ) -> None:
        self._http = http
        self._builder = _Builder(defaults, timeout, base_url_override)

    @property
    def responses(self) -> list[Response]:
        """Every response this client received, in order (for testers and delivery logs)."""
        return self._builder.responses

    def __call__(
        self,
        url: str,
        *,
        method: str = _UNSET,
        headers: Mapping[str, Any] | None = _UNSET,
        json: Any = _UNSET,
        form: Any = _UNSET,
        body: str | bytes | None = _UNSET,
        params: Any = _UNSET,
        username: str | None = _UNSET,
        password: str | None = _UNSET,
        timeout: float | None = _UNSET,
        throw_http_errors: bool = _UNSET,
        base_url: str | None = _UNSET,
    ) -> Response:
        options = {k: v for k, v in locals().items() if k not in ("self", "url")}
        prepared = self._builder.prepare(url, options)
        try:
            raw = self._http.request(**prepared.httpx_arguments())
        except _CLIENT_ERRORS as exc:
            raise prepared.transport_error(exc) from exc
        return self._builder.finish(prepared, raw)
