"""analytics.js 2.0 (the real `@segment/analytics-next`) in Chromium, pointed at Sluiceway.

The page is the source page's snippet, bundled: `AnalyticsBrowser.load({writeKey, cdnURL})`
from the npm package, built with esbuild into one script, and served from a *different*
origin (another port) than Sluiceway, so the settings GET and every post are cross-site
and CORS is exercised for real. Every request the page makes is recorded, and any that
leaves 127.0.0.1 (cdn.segment.com, api.segment.io) is aborted and fails the test.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from sluiceway.kit.testing import MockServer
from tests._npm import npm_install

from .conftest import TOKEN, Served

pytestmark = pytest.mark.slow

PACKAGES = ("@segment/analytics-next@^1", "esbuild@^0")
_NETWORK_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "network")

# What a site would write (the source page's snippet), minus the literal key and URL.
ENTRY = """
import { AnalyticsBrowser } from '@segment/analytics-next'

const { writeKey, cdnURL } = window.SLUICEWAY
export const analytics = AnalyticsBrowser.load({ writeKey, cdnURL })
window.analytics = analytics
"""

PAGE = """<!doctype html>
<html><head><title>Shop</title></head>
<body><h1>Shop</h1>
<script>window.SLUICEWAY = {config};</script>
<script src="/analytics.js"></script>
</body></html>
"""

CALLS = """
async () => {
  const calls = [
    () => window.analytics.track('Order Completed', { order: 7 }),
    () => window.analytics.identify('user-1', { plan: 'pro' }),
    () => window.analytics.page(),
  ]
  const results = []
  for (const call of calls) {
    const ctx = await call()
    const failed = ctx.failedDelivery()
    results.push({ type: ctx.event.type, failed: failed ? String(failed.reason) : null })
  }
  return results
}
"""


@pytest.fixture(scope="session")
def analytics_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """@segment/analytics-next installed with npm and bundled for the browser (once a session)."""
    directory = tmp_path_factory.mktemp("analytics-next")
    npm_install(directory, *PACKAGES)
    (directory / "entry.js").write_text(ENTRY)
    site = directory / "site"
    site.mkdir()
    built = subprocess.run(
        [
            str(directory / "node_modules" / ".bin" / "esbuild"),
            "entry.js",
            "--bundle",
            "--format=iife",
            "--platform=browser",
            "--define:process.env.NODE_ENV=\"production\"",
            f"--outfile={site / 'analytics.js'}",
            "--log-level=warning",
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    return site


@pytest.fixture
def shop(analytics_bundle: Path, served: Served, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static site on its own port (another origin than Sluiceway); yields (url, root)."""
    root = tmp_path / "shop"
    shutil.copytree(analytics_bundle, root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_analytics_next_in_a_browser_sends_to_sluiceway_and_the_mapping_delivers(
    browser: Any, served: Served, vendor: MockServer, shop: tuple[str, Path]
) -> None:
    source, destination = served.webhook("Shop")
    served.api(
        "POST",
        f"/destinations/{destination['id']}/mappings",
        {
            "name": "Orders",
            "subscribe": 'event = "Order Completed"',
            "action": "send",
            "enabled": True,
            "mapping": {
                "url": f"{vendor.url}/orders",
                "method": "POST",
                "data": {"order": {"@path": "$.properties.order"}, "user": {"@path": "$.anonymousId"}},
            },
        },
        201,
    )
    shop_url, root = shop
    config = json.dumps({"writeKey": source["write_key"], "cdnURL": served.url})
    (root / "index.html").write_text(PAGE.replace("{config}", config))
    assert urlsplit(shop_url).netloc != urlsplit(served.url).netloc

    context = browser.new_context()
    context.set_default_timeout(20_000)
    requests: list[tuple[str, str, dict[str, str]]] = []
    outside: list[str] = []
    problems: list[str] = []

    def route(request_route: Any) -> None:
        if urlsplit(request_route.request.url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    try:
        tab = context.new_page()
        tab.on("request", lambda r: requests.append((r.method, r.url, r.headers)))
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
        tab.goto(f"{shop_url}/index.html")
        results = tab.evaluate(CALLS)
        anonymous_id = tab.evaluate("async () => (await window.analytics.user()).anonymousId()")
    finally:
        context.close()

    assert results == [
        {"type": "track", "failed": None},
        {"type": "identify", "failed": None},
        {"type": "page", "failed": None},
    ]
    assert outside == [], "analytics-next reached outside Sluiceway"
    assert problems == []
    to_sluiceway = [
        (method, urlsplit(url).path, headers)
        for method, url, headers in requests
        if url.startswith(served.url)
    ]
    assert [(method, path) for method, path, _ in to_sluiceway] == [
        ("GET", f"/v1/projects/{source['write_key']}/settings"),
        ("POST", "/v1/t"),
        ("POST", "/v1/i"),
        ("POST", "/v1/p"),
    ]
    for _, _, headers in to_sluiceway[1:]:
        assert headers["content-type"] == "text/plain"
        assert headers["origin"] == shop_url

    events = _debugger_events(served, source["id"], 3)
    by_type = {entry["event"]["type"]: entry["event"] for entry in events}
    assert sorted(by_type) == ["identify", "page", "track"]
    for event in by_type.values():
        assert event["context"]["library"]["name"] == "analytics.js"
        assert event["context"]["library"]["version"].startswith("npm:next-")
        assert event["context"]["ip"] == "127.0.0.1"  # a browser call: Origin was sent
        assert event["anonymousId"] == anonymous_id
        assert "writeKey" not in event and "_metadata" not in event
        assert event["messageId"].startswith("ajs-next-")  # the library's id is kept
    assert by_type["track"]["event"] == "Order Completed"
    assert by_type["track"]["properties"] == {"order": 7}
    assert by_type["identify"]["userId"] == "user-1"
    assert by_type["identify"]["traits"] == {"plan": "pro"}
    assert by_type["page"]["properties"]["url"] == f"{shop_url}/index.html"
    assert by_type["track"].get("userId") is None  # sent before identify
    assert by_type["page"]["userId"] == "user-1"  # the library remembers identify's user

    _wait_for(lambda: len(vendor.requests) >= 1, "the webhook vendor got no request")
    time.sleep(0.3)  # nothing else is mapped: identify and page must not follow
    assert len(vendor.requests) == 1
    assert json.loads(vendor.requests[0].body) == {"order": 7, "user": anonymous_id}


def _debugger_events(served: Served, source_id: str, count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def ready() -> bool:
        nonlocal found
        response = httpx.get(
            f"{served.url}/api/v1/sources/{source_id}/events",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 200, response.text
        found = response.json()["events"]
        return len(found) >= count

    _wait_for(ready, f"the source debugger did not show {count} events")
    return found


def _wait_for(ready: Any, message: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
