"""Shared by the Intercom tests: an OAuth token, settings aimed at the local server, running an action."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.intercom import destination as intercom
from sluiceway.kit.testing import MockResponse, MockServer

HEADERS = {"user-agent": "Segment (Actions)", "authorization": "Bearer intercom-token"}
JSON_HEADERS = {**HEADERS, "content-type": "application/json"}
# (status, headers, retryable, retry_after) every action is checked against.
ERROR_CASES = [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "10"}, True, 10.0)]


def settings_for(server: MockServer) -> dict[str, Any]:
    return {"oauth": {"access_token": "intercom-token"}, "base_url_override": server.url}


def mapping(action: str, **fields: Any) -> dict[str, Any]:
    """The action's default mapping with `fields` changed."""
    return {**intercom.actions[action].default_mapping(), **fields}


def run(server: MockServer, action: str, event: dict, fields: dict | None = None) -> Any:
    return asyncio.run(intercom.execute(action, event, mapping(action, **(fields or {})), settings_for(server)))


def search_answer(*ids: str) -> MockResponse:
    """What `POST /contacts/search` answers when these contacts match."""
    contacts = [{"type": "contact", "id": contact_id} for contact_id in ids]
    return MockResponse.json({"type": "list", "data": contacts, "total_count": len(contacts)})
