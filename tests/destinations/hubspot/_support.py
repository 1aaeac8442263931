"""Shared by the HubSpot tests: OAuth settings aimed at the local server, running an action."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.hubspot import destination as hubspot
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

ACCESS_TOKEN = "hubspot-access-1"
HEADERS = {"user-agent": "Segment (Actions)", "authorization": f"Bearer {ACCESS_TOKEN}"}
JSON_HEADERS = {**HEADERS, "content-type": "application/json"}
# (status, headers, retryable, retry_after) every action is checked against.
ERROR_CASES = [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "10"}, True, 10.0)]


def oauth(**extra: Any) -> dict[str, Any]:
    return {
        "access_token": ACCESS_TOKEN,
        "refresh_token": "hubspot-refresh-1",
        "clientId": "app-client-id",
        "clientSecret": "app-client-secret",
        **extra,
    }


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"portalId": "123456", "oauth": oauth(), "base_url_override": server.url, **extra}


def mapping(action: str, **fields: Any) -> dict[str, Any]:
    """The action's default mapping with `fields` changed."""
    return {**hubspot.actions[action].default_mapping(), **fields}


def run(server: MockServer, action: str, event: dict, fields: dict | None = None, **settings: Any) -> Any:
    return asyncio.run(
        hubspot.execute(action, event, mapping(action, **(fields or {})), settings_for(server, **settings))
    )


def run_batch(server: MockServer, action: str, events: list[dict], fields: dict | None = None) -> list[ItemStatus]:
    return asyncio.run(
        hubspot.execute_batch(action, events, mapping(action, **(fields or {})), settings_for(server))
    )
