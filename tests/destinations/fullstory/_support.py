"""Running FullStory actions against the local server."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.fullstory import destination as fullstory
from sluiceway.kit.testing import MockServer

# The raw key after "Basic ", not base64: FullStory's scheme.
HEADERS = {
    "user-agent": "Segment (Actions)",
    "content-type": "application/json",
    "authorization": "Basic na1.KEY/abc",
    "integration-source": "segment",
}


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"apiKey": "na1.KEY/abc", "base_url_override": server.url, **extra}


def run(server: MockServer, action: str, event: dict, mapping: dict | None = None, **settings: Any) -> Any:
    mapping = {**fullstory.actions[action].default_mapping(), **(mapping or {})}
    return asyncio.run(fullstory.execute(action, event, mapping, settings_for(server, **settings)))
