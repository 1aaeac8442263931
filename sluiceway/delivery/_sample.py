"""What an outcome's `sample` shows: the payload, the request sent and the answer.

Samples are stored and shown in Delivery Overview, so secrets never enter them: an
Authorization header keeps only its scheme, and any secret setting's value (or OAuth
token) found in the URL, headers or body is masked. Bodies are truncated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from sluiceway.kit import ItemStatus, Response

MASK = "••••••••••"
MAX_BODY_CHARS = 4096
_MIN_SECRET_LENGTH = 4
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})


def secret_values(settings: Mapping[str, Any], secret_keys: Iterable[str]) -> tuple[str, ...]:
    """The secret strings in `settings`, longest first (so no secret is half-masked)."""
    values = [settings.get(key) for key in secret_keys]
    oauth = settings.get("oauth")
    if isinstance(oauth, Mapping):
        for key in (
            "access_token",
            "accessToken",
            "refresh_token",
            "refreshToken",
            "clientSecret",
            "client_secret",
        ):
            values.append(oauth.get(key))
    found = {v for v in values if isinstance(v, str) and len(v) >= _MIN_SECRET_LENGTH}
    return tuple(sorted(found, key=len, reverse=True))


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def truncate(text: str) -> str:
    return text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "…"


def response_sample(payload: Any, response: Response, secrets: tuple[str, ...]) -> dict[str, Any]:
    """The payload, the request this response answered, and the response."""
    sent = response.request
    headers: dict[str, str] = {}
    for name, value in sent.headers:
        if name.lower() in _CREDENTIAL_HEADERS:
            scheme, space, _ = value.partition(" ")
            headers[name] = f"{scheme} {MASK}" if space else MASK
        else:
            headers[name] = mask(value, secrets)
    body = sent.body.decode("utf-8", "replace") if sent.body else ""
    return {
        "payload": payload,
        "request": {
            "method": sent.method,
            "url": mask(sent.url, secrets),
            "headers": headers,
            "body": truncate(mask(body, secrets)),
        },
        "response": {"status": response.status, "body": truncate(mask(response.content, secrets))},
    }


def item_sample(item: ItemStatus, payload: Any, secrets: tuple[str, ...]) -> dict[str, Any]:
    """One batch item: its payload and the part of the vendor's answer about it."""
    return {"payload": payload, "response": item_answer(item, secrets)}


def item_answer(item: ItemStatus, secrets: tuple[str, ...]) -> dict[str, Any]:
    """The part of the vendor's answer about one batch item: its status and body, masked."""
    body = item.body
    if body is not None and not isinstance(body, str):
        body = orjson.dumps(body, default=str).decode()
    answer: dict[str, Any] = {"status": item.status}
    if body is not None:
        answer["body"] = truncate(mask(body, secrets))
    return answer
