"""The two request shapes Amplitude's APIs take.

Events (HTTP V2 and Batch Event Upload APIs): JSON `{"api_key", "events", "options"}`.
Identify, Group Identify and User Mapping APIs: a form with `api_key`, one JSON-encoded
parameter and, when there are any, JSON `options`. Segment always appends `options`,
which JavaScript writes as the text "undefined" when no minimum ID length is set;
Amplitude documents `options` as optional JSON, so it is left out instead.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import RequestClient, Response, json_body

from ._endpoints import endpoint
from ._event import request_options


async def send_events(
    request: RequestClient,
    payload: dict[str, Any],
    settings: dict[str, Any],
    events: list[dict[str, Any]],
) -> Response:
    api = "batch" if payload.get("use_batch_endpoint") else "httpapi"
    body: dict[str, Any] = {"api_key": settings["apiKey"], "events": events}
    options = request_options(payload)
    if options:
        body["options"] = options
    return await request(endpoint(api, settings), method="POST", json=body)


async def send_form(
    request: RequestClient,
    api: str,
    settings: dict[str, Any],
    parameter: str,
    value: Any,
    options: dict[str, Any] | None,
) -> Response:
    form = [("api_key", settings["apiKey"]), (parameter, json_body(value).decode())]
    if options:
        form.append(("options", json_body(options).decode()))
    return await request(endpoint(api, settings), method="POST", form=form)
