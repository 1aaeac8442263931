"""Running Mixpanel actions against the local server, and reading what they sent."""

from __future__ import annotations

import asyncio
import base64
from typing import Any
from urllib.parse import quote_plus

from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.kit import ItemStatus
from sluiceway.kit.testing import MockServer

FORM_HEADERS = {
    "user-agent": "Segment (Actions)",
    "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
}
SECRET_AUTH = "Basic " + base64.b64encode(b"SECRET:").decode()
IMPORT_HEADERS = {"user-agent": "Segment (Actions)", "content-type": "application/json", "authorization": SECRET_AUTH}


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"projectToken": "TOKEN", "apiSecret": "SECRET", "base_url_override": server.url, **extra}


def run(
    server: MockServer, action: str, event: dict, mapping: dict | None = None, **settings: Any
) -> Any:
    mapping = mapping if mapping is not None else mixpanel.actions[action].default_mapping()
    return asyncio.run(mixpanel.execute(action, event, mapping, settings_for(server, **settings)))


def run_batch(server: MockServer, action: str, events: list[dict], **settings: Any) -> list[ItemStatus]:
    mapping = mixpanel.actions[action].default_mapping()
    return asyncio.run(mixpanel.execute_batch(action, events, mapping, settings_for(server, **settings)))


def form_body(data_json: str) -> bytes:
    """What `new URLSearchParams({data})` sends for this JSON text."""
    return b"data=" + quote_plus(data_json, safe="*").replace("~", "%7E").encode()


# (status, Retry-After header, retryable, retry_after) every action is checked against.
ERROR_CASES = [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "30"}, True, 30.0)]
