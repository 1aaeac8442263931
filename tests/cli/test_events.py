"""`sluiceway send | tester | replay | migrate`: events in, events tried, failed events again, schema."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sluiceway.api import RateLimit
from sluiceway.cli import app
from sluiceway.kit.testing import MockResponse, MockServer
from sluiceway.store import current_revision
from tests.api.conftest import WRITE_KEY, running_tracking

from .conftest import SECRET, Running
from .test_manage import _import, _source, _subscription, _webhook

ORDER = {"type": "track", "event": "Order Completed", "userId": "u-1", "properties": {"total": 30}}


def _events(count: int) -> list[dict[str, Any]]:
    return [{**ORDER, "messageId": f"m-{index}"} for index in range(count)]


# send


def test_send_posts_ndjson_in_batches_and_the_events_are_queued(
    sluiceway: Running, tmp_path: Path
) -> None:
    source = _source(sluiceway)
    file = tmp_path / "events.ndjson"
    file.write_text("\n".join(json.dumps(event) for event in _events(7)) + "\n\n")

    result = sluiceway.ok(
        "send", str(file), "--write-key", source["write_key"], "--batch-size", "3"
    )

    assert "Accepted 7 events." in result.stdout
    queued = sluiceway.queued()
    assert [event["messageId"] for event in queued] == [f"m-{index}" for index in range(7)]
    assert {event["event"] for event in queued} == {"Order Completed"}


def test_send_reads_a_json_array_from_stdin(sluiceway: Running) -> None:
    source = _source(sluiceway)

    result = sluiceway.ok(
        "send", "-", "--write-key", source["write_key"], input=json.dumps(_events(2))
    )

    assert "Accepted 2 events." in result.stdout
    assert len(sluiceway.queued()) == 2


def test_send_with_a_wrong_write_key_prints_the_apis_error(
    sluiceway: Running, tmp_path: Path
) -> None:
    file = tmp_path / "events.json"
    file.write_text(json.dumps(_events(2)))

    result = sluiceway.run("send", str(file), "--write-key", "wk_not_a_key")

    assert result.exit_code == 1
    assert "writeKey: the write key matches no source (HTTP 401)" in result.stderr
    assert "Accepted 0 of 2 events" in result.stdout and "wk_not_a_key" not in result.output


def test_send_refuses_a_line_that_is_not_json(sluiceway: Running, tmp_path: Path) -> None:
    file = tmp_path / "events.ndjson"
    file.write_text(json.dumps(ORDER) + "\n{not json\n")

    result = sluiceway.run("send", str(file), "--write-key", "any")

    assert result.exit_code == 1 and f"{file} line 2 is not JSON" in result.stderr


def test_send_waits_out_a_429_and_retries(tmp_path: Path) -> None:
    file = tmp_path / "events.ndjson"
    file.write_text("\n".join(json.dumps(event) for event in _events(6)))
    limit = RateLimit(events_per_s=10, burst=3)

    with running_tracking(tmp_path, rate_limit=limit) as server:
        started = time.monotonic()
        result = CliRunner().invoke(
            app,
            ["send", str(file), "--write-key", WRITE_KEY, "--url", server.url, "--batch-size", "3"],
        )
        elapsed = time.monotonic() - started
        queued = server.queued_events()

    assert result.exit_code == 0, result.output
    assert "Accepted 6 events." in result.stdout
    assert len(queued) == 6 and elapsed >= 0.9  # Retry-After is whole seconds


# tester


def _hooked(sluiceway: Running, vendor: MockServer, tmp_path: Path) -> dict[str, Any]:
    destination = _webhook(sluiceway, _source(sluiceway)["id"])
    _import(sluiceway, destination["id"], tmp_path, _subscription(vendor))
    (tmp_path / "event.json").write_text(json.dumps(ORDER))
    return destination


def test_the_tester_shows_each_mappings_verdict_request_and_response(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _hooked(sluiceway, vendor, tmp_path)
    vendor.enqueue(MockResponse(status=200, body='{"received":true}'))

    result = sluiceway.ok("tester", destination["id"], str(tmp_path / "event.json"))

    assert "Orders → send: success" in result.stdout
    assert '"total": 30' in result.stdout and '"received": true' in result.stdout
    assert "request" in result.stdout and "response" in result.stdout
    assert len(vendor.requests) == 1  # a real call; SECRET signed it but is never shown


def test_the_tester_says_segments_words_when_nothing_matches(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _hooked(sluiceway, vendor, tmp_path)
    other = {**ORDER, "event": "Signed Up"}

    result = sluiceway.ok(
        "tester", destination["id"], "-", "--apply-filters", input=json.dumps(other)
    )

    assert result.stdout.strip() == "You may not have any subscriptions that match this event"
    assert vendor.requests == []


def test_the_tester_as_json_is_the_apis_answer(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _hooked(sluiceway, vendor, tmp_path)

    answer = json.loads(
        sluiceway.ok("tester", destination["id"], str(tmp_path / "event.json"), "--json").stdout
    )

    assert (answer["matched"], answer["results"][0]["verdict"]) == (1, "success")
    assert SECRET not in json.dumps(answer)


def test_the_tester_refuses_an_event_without_a_type(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _hooked(sluiceway, vendor, tmp_path)

    result = sluiceway.run("tester", destination["id"], "-", input=json.dumps({"event": "x"}))

    assert result.exit_code == 1 and "event.type: must be one of" in result.stderr


# replay


def test_replay_sends_the_chosen_failed_events_again(sluiceway: Running) -> None:
    destination_id = _webhook(sluiceway, _source(sluiceway)["id"])["id"]
    sluiceway.dead_letter(destination_id, "400")
    sluiceway.dead_letter(destination_id, "500")

    narrowed = sluiceway.ok(
        "replay", destination_id, "--reason", "400", "--start", "2000-01-01T00:00:00Z",
        "--end", "2999-01-01T00:00:00+00:00",
    )  # fmt: skip
    rest = sluiceway.ok("replay", destination_id)
    none_left = sluiceway.ok("replay", destination_id, "--id", "1", "--id", "2")

    assert f"Replayed 1 failed events of destination {destination_id}." in narrowed.stdout
    assert "Replayed 1 failed events" in rest.stdout
    assert "Replayed 0 failed events" in none_left.stdout
    assert sluiceway.pending_deliveries(destination_id) == 2


def test_replay_shows_the_apis_refusal_of_a_time(sluiceway: Running) -> None:
    destination_id = _webhook(sluiceway, _source(sluiceway)["id"])["id"]

    result = sluiceway.run("replay", destination_id, "--start", "yesterday")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: start: must be an ISO-8601 date and time")


def test_replay_of_an_unknown_destination_is_a_404(sluiceway: Running) -> None:
    result = sluiceway.run("replay", "dst_missing")

    assert (
        result.exit_code == 1 and "dst_missing" in result.stderr and "(HTTP 404)" in result.stderr
    )


# migrate


def test_migrate_brings_a_new_database_to_the_newest_revision(tmp_path: Path) -> None:
    runner = CliRunner()
    data = tmp_path / "fresh"

    first = runner.invoke(
        app, ["migrate", "--data-dir", str(data)], env={"SLUICEWAY_DATABASE_URL": None}
    )
    again = runner.invoke(
        app, ["migrate"], env={"SLUICEWAY_DATA_DIR": str(data), "SLUICEWAY_DATABASE_URL": None}
    )

    revision = current_revision(f"sqlite:///{data / 'config.db'}")
    assert first.exit_code == 0, first.output
    assert revision and f"from revision none to {revision}" in first.stdout
    assert again.exit_code == 0 and f"already at revision {revision}" in again.stdout


def test_migrate_never_prints_a_database_password(tmp_path: Path) -> None:
    url = "postgresql://sluice:pg-password-123@127.0.0.1:1/config"

    result = CliRunner().invoke(
        app, ["migrate"], env={"SLUICEWAY_DATABASE_URL": url, "SLUICEWAY_DATA_DIR": str(tmp_path)}
    )

    assert (
        result.exit_code == 1
        and "cannot migrate postgresql://sluice:***@127.0.0.1:1/config" in result.stderr
    )
    assert "pg-password-123" not in result.output
