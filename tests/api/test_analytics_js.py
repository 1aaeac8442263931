"""analytics.js 2.0 (`@segment/analytics-next`) pointed at Sluiceway with `cdnURL`.

The library GETs `${cdnURL}/v1/projects/<writeKey>/settings`, then posts every call to
`${protocol}://${apiHost}/<first letter of the type>` (`/v1/t`, `/v1/i`, ...) with
`Content-Type: text/plain` and Basic auth, or to `/v1/b` with its batching strategy.
tests/ui/test_analytics_js.py runs the real library in Chromium; these pin the routes.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from sluiceway.api import create_tracking_app

from .conftest import AUTH, SOURCE_ID, WRITE_KEY, TrackingServer, post

SETTINGS = f"/v1/projects/{WRITE_KEY}/settings"


def get_settings(server: TrackingServer, path: str = SETTINGS, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers=headers, timeout=10)


def test_settings_send_everything_back_to_the_host_the_request_came_to(
    tracking: TrackingServer,
) -> None:
    response = get_settings(tracking, Origin="https://shop.example")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-cache"
    settings = response.json()
    host = tracking.url.removeprefix("http://")
    segment = settings["integrations"]["Segment.io"]
    assert segment["apiKey"] == WRITE_KEY
    assert segment["apiHost"] == f"{host}/v1"
    assert segment["protocol"] == "http"
    # Only Segment.io: analytics-next would load device-mode code for any other key.
    assert list(settings["integrations"]) == ["Segment.io"]
    assert settings["remotePlugins"] == []
    assert settings["plan"]["track"]["__default"]["enabled"] is True
    assert settings["plan"]["identify"]["__default"]["enabled"] is True
    # No telemetry to api.segment.io/v1/m.
    assert settings["metrics"]["sampleRate"] == 0


def test_settings_reflect_the_host_header_and_forwarded_headers(tracking: TrackingServer) -> None:
    by_host = get_settings(tracking, Host="track.example:8443").json()
    proxied = get_settings(
        tracking,
        **{"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "collect.shop.example"},
    ).json()
    bogus = get_settings(tracking, **{"X-Forwarded-Proto": "gopher"}).json()

    assert by_host["integrations"]["Segment.io"]["apiHost"] == "track.example:8443/v1"
    assert by_host["integrations"]["Segment.io"]["protocol"] == "http"
    assert proxied["integrations"]["Segment.io"]["apiHost"] == "collect.shop.example/v1"
    assert proxied["integrations"]["Segment.io"]["protocol"] == "https"
    assert bogus["integrations"]["Segment.io"]["protocol"] == "http"


@pytest.mark.parametrize(
    ("write_key", "disable", "code"),
    [("wk_nobody", False, "invalid_write_key"), (WRITE_KEY, True, "source_disabled")],
)
def test_settings_for_an_unknown_or_disabled_write_key_are_404(
    tracking: TrackingServer, write_key: str, disable: bool, code: str
) -> None:
    if disable:
        tracking.disable(WRITE_KEY)

    response = get_settings(tracking, f"/v1/projects/{write_key}/settings", Origin="https://a.example")

    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert body["success"] is False
    assert body["code"] == code
    assert body["field"] == "writeKey"
    assert write_key in body["message"]


def test_settings_answer_a_preflight(tracking: TrackingServer) -> None:
    response = httpx.options(
        f"{tracking.url}{SETTINGS}",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]


SHORT = [("t", "track"), ("i", "identify"), ("p", "page"), ("s", "screen"), ("g", "group"), ("a", "alias")]
BODIES = {
    "track": {"event": "Order Completed", "properties": {"order": 7}},
    "identify": {"traits": {"plan": "pro"}},
    "page": {"name": "Home", "properties": {"path": "/"}},
    "screen": {"name": "Home"},
    "group": {"groupId": "g1"},
    "alias": {"previousId": "anon-1"},
}


@pytest.mark.parametrize(("short", "kind"), SHORT)
def test_short_paths_are_the_single_call_endpoints(
    tracking: TrackingServer, short: str, kind: str
) -> None:
    # As analytics-next sends them: text/plain, writeKey in the body *and* Basic auth,
    # and a `type` that the path overrides anyway.
    message = {"userId": "u1", "type": "bogus", "writeKey": WRITE_KEY, **BODIES[kind]}
    response = post(
        tracking,
        f"/v1/{short}",
        content=json.dumps(message).encode(),
        auth=AUTH,
        headers={"Content-Type": "text/plain", "Origin": "https://shop.example"},
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert response.headers["access-control-allow-origin"] == "*"
    [(subject, event)] = tracking.queued()
    assert subject == f"events.{SOURCE_ID}"
    assert event["type"] == kind
    assert "writeKey" not in event
    assert event["context"]["ip"] == "127.0.0.1"


def test_short_paths_refuse_like_their_long_forms(tracking: TrackingServer) -> None:
    no_key = post(tracking, "/v1/t", {"userId": "u1", "event": "E"})
    no_event = post(tracking, "/v1/t", {"userId": "u1"}, auth=AUTH)

    assert no_key.status_code == 401 and no_key.json()["code"] == "missing_write_key"
    assert no_event.status_code == 200  # a per-message reject, as on /v1/track
    assert tracking.queued_events() == []


def test_batch_short_path_takes_analytics_next_batching_body(tracking: TrackingServer) -> None:
    body = {
        "writeKey": WRITE_KEY,
        "sentAt": "2024-01-01T00:00:01.000Z",
        "batch": [
            {"type": "track", "userId": "u1", "event": "A", "timestamp": "2024-01-01T00:00:00.000Z"},
            {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}},
        ],
    }
    response = post(
        tracking, "/v1/b", content=json.dumps(body).encode(), headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 200, response.text
    assert [event["type"] for event in tracking.queued_events()] == ["track", "identify"]


def test_settings_keep_the_servers_root_path(tracking: TrackingServer) -> None:
    # `uvicorn --root-path /sluiceway` behind a proxy that mounts it under a path.
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(
            app=create_tracking_app(tracking.ingest), root_path="/sluiceway"
        )
        async with httpx.AsyncClient(transport=transport, base_url="https://h.example") as client:
            return await client.get(f"/sluiceway{SETTINGS}")

    response = asyncio.run(fetch())

    assert response.status_code == 200
    segment = response.json()["integrations"]["Segment.io"]
    assert segment["apiHost"] == "h.example/sluiceway/v1"
    assert segment["protocol"] == "https"
