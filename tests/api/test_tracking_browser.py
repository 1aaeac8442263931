"""Browsers: analytics.js posts cross-site, so CORS must allow it and its IP is collected."""

from __future__ import annotations

import httpx
import pytest

from .conftest import AUTH, TrackingServer, post


def test_context_ip_is_filled_for_browsers_and_direct_calls_only(tracking: TrackingServer) -> None:
    post(tracking, "/v1/track", {"userId": "u1", "event": "Server"}, auth=AUTH)
    post(
        tracking,
        "/v1/track",
        {"userId": "u1", "event": "Browser"},
        auth=AUTH,
        headers={"Origin": "https://shop.example"},
    )
    post(
        tracking,
        "/v1/track",
        {"userId": "u1", "event": "Direct", "context": {"direct": True}},
        auth=AUTH,
    )

    server, browser, direct = tracking.queued_events()
    assert "ip" not in server.get("context", {})
    assert browser["context"]["ip"] == "127.0.0.1"
    assert direct["context"]["ip"] == "127.0.0.1"


# analytics-next sends `Authorization: Basic ...` to its short paths, so browsers
# preflight those posts too.
@pytest.mark.parametrize("path", ["/v1/batch", "/v1/t", "/v1/b"])
def test_cors_preflight_allows_browsers_to_post(tracking: TrackingServer, path: str) -> None:
    response = httpx.options(
        f"{tracking.url}{path}",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "content-type, authorization"


def test_cors_headers_are_on_successes_and_errors(tracking: TrackingServer) -> None:
    ok = post(
        tracking,
        "/v1/track",
        {"userId": "u1", "event": "E"},
        auth=AUTH,
        headers={"Origin": "https://a.example"},
    )
    refused = post(
        tracking,
        "/v1/track",
        {"userId": "u1", "event": "E"},
        headers={"Origin": "https://a.example"},
    )

    assert ok.headers["access-control-allow-origin"] == "*"
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == "*"
