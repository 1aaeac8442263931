"""Shared by the Customer.io tests: settings aimed at the local server, and running an action."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from sluiceway.destinations.customerio import destination as customerio
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

BASIC = "Basic " + base64.b64encode(b"site-1:key-1").decode()
HEADERS = {
    "user-agent": "Segment (Actions)",
    "content-type": "application/json",
    "authorization": BASIC,
}


def settings(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"siteId": "site-1", "apiKey": "key-1", "base_url_override": server.url, **extra}


def mapping(action: str, **fields: Any) -> dict[str, Any]:
    """The preset's mapping (the action's defaults) with `fields` changed."""
    return {**customerio.actions[action].default_mapping(), **fields}


def run(server: MockServer, action: str, event: dict, fields: dict | None = None) -> Any:
    return asyncio.run(
        customerio.execute(action, event, mapping(action, **(fields or {})), settings(server))
    )


def run_batch(
    server: MockServer, action: str, events: list[dict], fields: dict | None = None
) -> list[ItemStatus]:
    return asyncio.run(
        customerio.execute_batch(
            action, events, mapping(action, **(fields or {})), settings(server)
        )
    )
