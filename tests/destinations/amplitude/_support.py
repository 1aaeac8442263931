"""Shared set-up for Amplitude's tests: settings aimed at the local server, presets, errors."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from sluiceway.destinations.amplitude import destination as amplitude
from sluiceway.kit.testing import MockResponse, MockServer

# Each of Amplitude's origins is re-aimed at its own path prefix on the local server, so
# a request's target also says which real host it was addressed to.
HOST_PREFIXES = {
    "https://api2.amplitude.com": "/api2",
    "https://api.amplitude.com": "/api",
    "https://amplitude.com": "/dashboard",
    "https://api.eu.amplitude.com": "/eu",
    "https://analytics.eu.amplitude.com": "/eu-dashboard",
}
JSON_HEADERS = {"user-agent": "Segment (Actions)", "content-type": "application/json"}
FORM_HEADERS = {
    "user-agent": "Segment (Actions)",
    "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
}
# (answer, retryable, retry_after): every action classifies Amplitude's answers alike.
ERROR_CASES = [
    (MockResponse(status=500, body="internal error"), True, None),
    (
        MockResponse.json(
            {"code": 400, "error": "Invalid field values on some events"}, status=400
        ),
        False,
        None,
    ),
    (
        MockResponse.json({"code": 429, "error": "Too many requests"}, 429, {"Retry-After": "30"}),
        True,
        30.0,
    ),
]


def settings(server: MockServer, **extra: Any) -> dict[str, Any]:
    override = {origin: server.url + prefix for origin, prefix in HOST_PREFIXES.items()}
    return {"apiKey": "AMP_KEY", "secretKey": "AMP_SECRET", "base_url_override": override, **extra}


def preset_mapping(name: str) -> dict[str, Any]:
    (preset,) = [p for p in amplitude.quick_setup() if p["name"] == name]
    return preset["mapping"]


def default_mapping(action: str, **fields: Any) -> dict[str, Any]:
    return {**amplitude.actions[action].default_mapping(), **fields}


def execute(
    action: str, event: dict[str, Any], mapping: dict[str, Any], instance: dict[str, Any]
) -> Any:
    return asyncio.run(amplitude.execute(action, event, mapping, instance))


def form_body(*pairs: tuple[str, str]) -> bytes:
    """A form as URLSearchParams writes it (the same as urlencode for these values)."""
    return urlencode(pairs).encode()
