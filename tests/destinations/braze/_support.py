"""Shared by the Braze tests: settings aimed at the local server, and running an action."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.braze import destination as braze
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

HEADERS = {
    "user-agent": "Segment (Actions)",
    "authorization": "Bearer braze-key",
    "content-type": "application/json",
}
BATCH_HEADERS = {**HEADERS, "x-braze-batch": "true"}


def settings(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {
        "api_key": "braze-key",
        "app_id": "APP_ID",
        "endpoint": "https://rest.fra-01.braze.eu",
        "base_url_override": server.url,
        **extra,
    }


def mapping(action: str, **fields: Any) -> dict[str, Any]:
    """The preset's mapping (the action's defaults) with `fields` changed."""
    return {**braze.actions[action].default_mapping(), **fields}


def run(server: MockServer, action: str, event: dict, fields: dict | None = None) -> Any:
    return asyncio.run(
        braze.execute(action, event, mapping(action, **(fields or {})), settings(server))
    )


def run_batch(
    server: MockServer, action: str, events: list[dict], fields: dict | None = None
) -> list[ItemStatus]:
    return asyncio.run(
        braze.execute_batch(action, events, mapping(action, **(fields or {})), settings(server))
    )
