"""Running one planned delivery for a tester and showing what went over the wire.

Secrets never leave in a tester's answer: the Authorization header keeps only its
scheme, and any secret setting's value found in the URL, headers or body is masked
(GA4 puts its API secret in the query string, Braze its key in a header).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from sluiceway.kit import APIError, Destination, IntegrationError, Response
from sluiceway.store import SECRET_MASK

MAX_BODY_CHARS = 20_000
_MIN_SECRET_LENGTH = 4


def secret_values(settings: Mapping[str, Any], secret_keys: Iterable[str]) -> list[str]:
    values = [settings.get(key) for key in secret_keys]
    oauth = settings.get("oauth")
    if isinstance(oauth, Mapping):
        values.extend(oauth.get(key) for key in ("access_token", "refresh_token", "client_secret"))
    return sorted(
        {v for v in values if isinstance(v, str) and len(v) >= _MIN_SECRET_LENGTH},
        key=len,
        reverse=True,
    )


def _mask(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, SECRET_MASK)
    return text


def request_view(response: Response, secrets: list[str]) -> dict[str, Any]:
    sent = response.request
    headers = {}
    for name, value in sent.headers:
        if name.lower() in ("authorization", "proxy-authorization"):
            scheme = value.split(" ", 1)[0]
            headers[name] = f"{scheme} {SECRET_MASK}" if " " in value else SECRET_MASK
        else:
            headers[name] = _mask(value, secrets)
    body = sent.body.decode("utf-8", "replace") if sent.body else ""
    return {
        "method": sent.method,
        "url": _mask(sent.url, secrets),
        "headers": headers,
        "body": _mask(body[:MAX_BODY_CHARS], secrets),
    }


def response_view(response: Response, secrets: list[str]) -> dict[str, Any]:
    return {
        "status": response.status,
        "headers": dict(response.headers.items()),
        "body": _mask(response.content[:MAX_BODY_CHARS], secrets),
    }


async def perform_for_tester(
    kind: Destination,
    action: str,
    payload: dict[str, Any],
    settings: Mapping[str, Any],
    secrets: list[str],
    http: httpx.AsyncClient | None,
) -> dict[str, Any]:
    """Send one payload; the verdict, request and response, whatever happened."""
    try:
        result = await kind.perform(action, payload, settings, http=http)
    except IntegrationError as exc:
        out: dict[str, Any] = {
            "verdict": "failed",
            "code": exc.code,
            "message": _mask(exc.message, secrets),
            "retryable": exc.retryable,
        }
        response = getattr(exc, "response", None) if isinstance(exc, APIError) else None
        if isinstance(response, Response):
            out["request"] = request_view(response, secrets)
            out["response"] = response_view(response, secrets)
        return out
    out = {"verdict": "success"}
    if isinstance(result, Response):
        out["request"] = request_view(result, secrets)
        out["response"] = response_view(result, secrets)
    return out
