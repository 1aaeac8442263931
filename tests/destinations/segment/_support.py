"""Running Segment actions against the local server (standing in for the Tracking API)."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.segment import destination as segment
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

# Basic auth: base64("wk_123:"), the write key and an empty password.
HEADERS = {"user-agent": "Segment (Actions)", "content-type": "application/json", "authorization": "Basic d2tfMTIzOg=="}
# The sample event's ids and its context, as JSON.
HEAD = b'"messageId":"msg-789","timestamp":"2024-05-01T12:00:00.000Z"'
CONTEXT = (
    b'"context":{"ip":"203.0.113.5","locale":"en-US","library":{"name":"analytics.js","version":"2.11.1"},'
    b'"page":{"url":"https://example.com/p1","referrer":"https://google.com/","title":"P1"},'
    b'"traits":{"email":"jane@example.com"}}'
)
IDS = b'"userId":"user-123","anonymousId":"anon-456",' + HEAD


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"source_write_key": "wk_123", "base_url_override": server.url, **extra}


def run(server: MockServer, action: str, event: dict, mapping: dict | None = None, **settings: Any) -> Any:
    mapping = {**segment.actions[action].default_mapping(), **(mapping or {})}
    return asyncio.run(segment.execute(action, event, mapping, settings_for(server, **settings)))


def run_batch(server: MockServer, action: str, events: list[dict]) -> list[ItemStatus]:
    mapping = segment.actions[action].default_mapping()
    return asyncio.run(segment.execute_batch(action, events, mapping, settings_for(server)))


def anonymous(event: dict) -> dict:
    """`event` without any user id."""
    return {key: value for key, value in event.items() if key not in ("userId", "anonymousId")}
