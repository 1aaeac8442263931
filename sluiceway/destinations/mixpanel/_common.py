"""What every Mixpanel action shares: regional hosts, the `data=` form, timestamps, /import.

/track, /engage and /groups take one form field `data` holding the JSON object, with the
project token inside it (no auth header). /import takes a JSON array of events and Basic
auth with the project secret as user name and an empty password.
"""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from sluiceway.kit import MultiStatus, RequestClient, Response, json_body

US, EU, IN = "US 🇺🇸", "EU 🇪🇺", "IN 🇮🇳"
API_HOSTS = {
    US: "https://api.mixpanel.com",
    EU: "https://api-eu.mixpanel.com",
    IN: "https://api-in.mixpanel.com",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INSERT_ID_ALPHABET = string.ascii_lowercase + string.digits


def api_host(settings: dict[str, Any]) -> str:
    return API_HOSTS.get(settings.get("apiRegion") or US, API_HOSTS[US])


def data_form(data: dict[str, Any]) -> dict[str, str]:
    """`new URLSearchParams({data: JSON.stringify(data)})`; keys whose value is None are left out.

    That includes an explicit null from a nullable id field (`user_id`, `alias`): Segment
    would send `null`, which Mixpanel treats like a missing id anyway.
    """
    return {"data": json_body(_drop_none(data)).decode()}


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_none(item) for key, item in value.items() if item is not None}
    return value


def first_present(*values: Any) -> Any:
    """JavaScript's `a ?? b ?? c`."""
    return next((value for value in values if value is not None), None)


def epoch_ms(value: Any) -> int:
    """Event time in epoch milliseconds; now when the value is missing or unreadable.

    A number is passed on as it is: Mixpanel reads both seconds and milliseconds
    (Segment's dayjs would read seconds as milliseconds, i.e. 1970).
    """
    if isinstance(value, bool):
        return _now_ms()
    if isinstance(value, int | float):
        return int(value)
    parsed = _parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        return _now_ms()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - _EPOCH) // timedelta(milliseconds=1)


def _parse_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def random_insert_id() -> str:
    """A 16-character id for events that come without a message id (Mixpanel dedupes on it)."""
    return "".join(secrets.choice(_INSERT_ID_ALPHABET) for _ in range(16))


def import_options(settings: dict[str, Any]) -> dict[str, Any]:
    """`POST /import?strict=…` with Basic auth `<secret or token>:`."""
    return {
        "method": "POST",
        "params": {"strict": settings.get("strictMode") or "1"},
        "username": settings.get("apiSecret") or settings["projectToken"],
        "password": "",
    }


async def import_events(
    request: RequestClient, events: list[dict[str, Any]], settings: dict[str, Any]
) -> Response:
    """One /import request; any non-2xx answer raises (the single-event path)."""
    return await request(f"{api_host(settings)}/import", json=events, **import_options(settings))


async def import_batch(
    request: RequestClient,
    events: list[dict[str, Any]],
    owners: Sequence[int],
    payloads: list[dict[str, Any]],
    settings: dict[str, Any],
) -> MultiStatus:
    """One /import request for a batch, read back item by item.

    `owners[i]` is the payload that produced `events[i]`. Mixpanel answers
    `{"code": 200|400, "failed_records": [{"index", "message", ...}]}` (with strict=1 a
    400 is a partial success); a payload fails when any of its events failed. Any other
    code, or an answer without one, applies to every payload.
    """
    response = await request(
        f"{api_host(settings)}/import",
        json=events,
        throw_http_errors=False,
        **import_options(settings),
    )
    body = response.data if isinstance(response.data, dict) else {}
    code = body.get("code") if isinstance(body.get("code"), int) else response.status
    statuses = MultiStatus()
    if code not in (200, 400):
        message = str(body.get("error") or f"Mixpanel answered {code}")
        for index, payload in enumerate(payloads):
            statuses.set_error(
                index, status=code, message=message, sent=payload, body=body or None,
                retry_after=response.retry_after,
            )
        return statuses
    failures: dict[int, list[str]] = {}
    for record in body.get("failed_records") or ():
        position = record.get("index") if isinstance(record, dict) else None
        if isinstance(position, int) and 0 <= position < len(owners):
            failures.setdefault(owners[position], []).append(str(record.get("message") or ""))
    for index, payload in enumerate(payloads):
        if index in failures:
            statuses.set_error(
                index, status=400, message="; ".join(failures[index]),
                code="PAYLOAD_VALIDATION_FAILED", sent=payload, body=body,
            )
        else:
            statuses.set_success(index, sent=payload, body=body or None)
    return statuses
