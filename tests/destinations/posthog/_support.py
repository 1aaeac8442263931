"""Running PostHog actions against the local server."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.posthog import destination as posthog
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

JSON_HEADERS = {"user-agent": "Segment (Actions)", "content-type": "application/json"}
# (status, Retry-After header, retryable, retry_after) every action is checked against.
ERROR_CASES = [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "30"}, True, 30.0)]


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {
        "api_key": "phc_x",
        "project_id": "1",
        "endpoint": "https://us.i.posthog.com",
        "base_url_override": server.url,
        **extra,
    }


def run(server: MockServer, action: str, event: dict, mapping: dict | None = None, **settings: Any) -> Any:
    mapping = mapping if mapping is not None else posthog.actions[action].default_mapping()
    return asyncio.run(posthog.execute(action, event, mapping, settings_for(server, **settings)))


def run_batch(server: MockServer, events: list[dict], mapping: dict | None = None) -> list[ItemStatus]:
    mapping = mapping if mapping is not None else posthog.actions["event"].default_mapping()
    return asyncio.run(posthog.execute_batch("event", events, mapping, settings_for(server)))
