"""Segment's own SDKs, unchanged, pointed at Sluiceway: every call arrives, normalised.

These are the compatibility claim in its strongest form: analytics-python and
@segment/analytics-node (the real packages, over a real socket) send their usual
batches, with their usual auth and headers, and every message lands in the queue.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from segment.analytics import Client

from sluiceway.metrics import Step
from sluiceway.spec import parse_timestamp
from tests._npm import npm_install

from .conftest import SOURCE_ID, WRITE_KEY, TrackingServer

ANALYTICS_NODE = "@segment/analytics-node@^3"
def assert_normalised(event: dict[str, Any]) -> None:
    assert event["messageId"] and "writeKey" not in event
    assert parse_timestamp(event["receivedAt"]) is not None
    assert parse_timestamp(event["timestamp"]) is not None
    assert "originalTimestamp" in event and "sentAt" in event


def test_analytics_python_calls_all_arrive_normalised(tracking: TrackingServer) -> None:
    errors: list[Any] = []
    client = Client(
        WRITE_KEY,
        host=tracking.url,
        on_error=lambda error, batch: errors.append(error),
        max_retries=1,
    )
    client.track("u1", "Order Completed", {"revenue": 9.5})
    client.identify("u1", {"email": "u1@example.com"})
    client.page("u1", "Docs", "Tracking API", {"path": "/docs"})
    client.screen("u1", "App", "Settings")
    client.group("u1", "g1", {"plan": "pro"})
    client.alias("anon-1", "u1")
    client.flush()
    client.join()

    assert errors == []
    events = tracking.queued_events()
    assert [event["type"] for event in events] == [
        "track",
        "identify",
        "page",
        "screen",
        "group",
        "alias",
    ]
    for event in events:
        assert_normalised(event)
        assert event["context"]["library"]["name"] == "analytics-python"
        assert not event["messageId"].startswith("api-")  # the client's id is kept
    track, identify, page, screen, group, alias = events
    assert track["event"] == "Order Completed" and track["properties"] == {"revenue": 9.5}
    assert identify["traits"] == {"email": "u1@example.com"}
    assert page["name"] == "Tracking API" and page["category"] == "Docs"
    assert screen["name"] == "Settings"
    assert group["groupId"] == "g1"
    assert alias["previousId"] == "anon-1" and alias["userId"] == "u1"
    assert len(tracking.outcomes(Step.RECEIVED)) == 6


@pytest.fixture(scope="session")
def analytics_node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """@segment/analytics-node installed with npm into a temp dir (once per session)."""
    directory = tmp_path_factory.mktemp("analytics-node")
    npm_install(directory, ANALYTICS_NODE)
    return directory


NODE_SCRIPT = """
const { Analytics } = require('@segment/analytics-node')
const [host, writeKey] = process.argv.slice(2)
const analytics = new Analytics({ writeKey, host, flushAt: 3, maxRetries: 1 })
const failures = []
analytics.on('error', (err) => failures.push(String(err && (err.reason || err.message || err.code))))
analytics.track({ userId: 'u1', event: 'Node Track', properties: { n: 1 } })
analytics.identify({ userId: 'u1', traits: { name: 'Ada' } })
analytics.page({ anonymousId: 'a1', name: 'Home', properties: { path: '/' } })
analytics.screen({ userId: 'u1', name: 'Home Screen' })
analytics.group({ userId: 'u1', groupId: 'g1', traits: { size: 3 } })
analytics.alias({ userId: 'u1', previousId: 'a1' })
analytics.closeAndFlush({ timeout: 15000 }).then(() => {
  console.log(JSON.stringify({ failures }))
  process.exit(failures.length ? 1 : 0)
})
"""


@pytest.mark.slow
def test_analytics_node_calls_all_arrive_normalised(
    tracking: TrackingServer, analytics_node: Path
) -> None:
    script = analytics_node / "send.js"
    script.write_text(NODE_SCRIPT)
    result = subprocess.run(
        ["node", str(script), tracking.url, WRITE_KEY],
        cwd=analytics_node,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_PATH": str(analytics_node / "node_modules")},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"failures": []}
    queued = tracking.queued()
    assert {subject for subject, _ in queued} == {f"events.{SOURCE_ID}"}
    events = {event["type"]: event for _, event in queued}
    assert sorted(events) == sorted(["track", "identify", "page", "screen", "group", "alias"])
    for event in events.values():
        assert_normalised(event)
        assert event["context"]["library"]["name"] == "@segment/analytics-node"
    assert events["track"]["event"] == "Node Track"
    assert events["group"]["groupId"] == "g1"
    assert events["alias"]["previousId"] == "a1"
