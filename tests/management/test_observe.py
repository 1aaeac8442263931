"""Delivery Overview, failed events and replay, source debugger and traces over HTTP.

A real MetricsStore (SQLite in tmp_path) fed real Outcomes, and a real DeadLetterService
over a SQLite queue whose dead letters come from a DeliveryService sending to a
MockServer that answers 400. The queue work runs on the test client's event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from starlette.testclient import TestClient

from sluiceway import kit, pipeline
from sluiceway.api.app import build_app
from sluiceway.api.auth import AdminToken
from sluiceway.api.management import ManagementContext
from sluiceway.delivery import (
    DeadLetterService,
    DeliveryConfig,
    DeliveryService,
    RetryPolicy,
    consumer_config,
)
from sluiceway.kit.testing import MockResponse, MockServer
from sluiceway.metrics import ListRecorder, MetricsStore, Outcome
from sluiceway.metrics.timerange import iso
from sluiceway.pipeline import PlannedDelivery
from sluiceway.queue import SqliteBroker, SqliteStream
from sluiceway.store import ConfigStore

from ..metrics._events import NOW, T0, delivered, failed, filtered, received, rejected
from .conftest import TOKEN, Api

FAST = DeliveryConfig(
    concurrency=2,
    linger_s=0.05,
    ack_wait_s=2.0,
    poll_s=0.05,
    drain_timeout_s=2.0,
    retry=RetryPolicy(base_s=0.01, cap_s=0.05, window_s=60.0),
)
WEBHOOK = kit.catalog()["actions-webhook"]
SECRET = "hook-shared-secret-4242"


@dataclass
class World:
    api: Api
    ctx: ManagementContext
    metrics: MetricsStore
    stream: SqliteStream
    portal: BlockingPortal

    def record(self, outcomes: Iterable[Outcome]) -> None:
        self.metrics.write(outcomes)

    def get(self, path: str, status: int = 200, **params: Any) -> Any:
        return self.api.call("GET", path, status=status, params=params)


@pytest.fixture
def world(store: ConfigStore, tmp_path: Path) -> Iterator[World]:
    metrics = MetricsStore.open(directory=tmp_path, clock=lambda: NOW)
    broker = asyncio.run(SqliteBroker.open(tmp_path / "queue.db", poll_interval_s=0.01))
    stream = asyncio.run(broker.stream(pipeline.DELIVERIES_STREAM))
    ctx = ManagementContext(
        store=store,
        catalog=kit.catalog(),
        metrics=metrics,
        dead_letters=DeadLetterService(stream, FAST),
        clock=lambda: NOW,
    )
    app = build_app(ctx, AdminToken(TOKEN, False, "test"))
    try:
        with TestClient(app) as client:  # a 500 (a bug) raises in the test
            yield World(Api(client, store), ctx, metrics, stream, client.portal)
    finally:
        asyncio.run(broker.close())
        metrics.close()


def retarget(
    outcomes: Iterable[Outcome],
    *,
    source: str,
    destination: str | None = None,
    mappings: dict[str, str] | None = None,
) -> list[Outcome]:
    """The metrics suite's outcomes, moved onto ids that exist in the config store."""
    moved = []
    for outcome in outcomes:
        changes: dict[str, Any] = {"source_id": source}
        if outcome.destination_id and destination:
            changes["destination_id"] = destination
        if mappings and outcome.mapping_id in mappings:
            changes["mapping_id"] = mappings[outcome.mapping_id]
        moved.append(replace(outcome, **changes))
    return moved


def _setup(world: World, *mapping_names: str) -> tuple[dict, dict, list[dict]]:
    source = world.api.source()
    destination = world.api.webhook(source["id"], sharedSecret=SECRET)
    mappings = [
        world.api.call(
            "POST",
            f"/destinations/{destination['id']}/mappings",
            {
                "name": name,
                "subscribe": 'type = "track"',
                "action": "send",
                "mapping": {"url": "http://127.0.0.1:9/hook", "method": "POST", "data": {}},
            },
            status=201,
        )
        for name in mapping_names
    ]
    return source, destination, mappings


def _overview(world: World, destination_id: str, status: int = 200, **params: Any) -> Any:
    return world.get(f"/destinations/{destination_id}/delivery-overview", status, **params)


# ---- Delivery Overview ------------------------------------------------------------------


def test_overview_counts_steps_in_order_with_percent_and_chart(world: World) -> None:
    source, destination, (mapping,) = _setup(world, "Orders")
    ids = {"source": source["id"], "destination": destination["id"]}
    moved = {"map_orders": mapping["id"]}
    outcomes: list[Outcome] = []
    for n in range(3):
        outcomes += delivered(f"ok-{n}", T0 + 60 * n)
    outcomes += failed("bad-1", T0 + 300, reason="400")
    outcomes += filtered("skip-1", T0 + 400)
    world.record(retarget(outcomes, **ids, mappings=moved))

    data = _overview(world, destination["id"])

    assert list(data) == [
        "destination_id",
        "mapping_id",
        "start",
        "end",
        "steps",
        "discards",
        "failures",
        "timeseries",
    ]
    assert (data["destination_id"], data["mapping_id"]) == (destination["id"], None)
    assert (data["start"], data["end"]) == (iso(NOW - 86400), iso(NOW))
    assert [(s["step"], s["label"], s["count"], s["percent"]) for s in data["steps"]] == [
        ("successfully_received", "Successfully received", 5, 100.0),
        ("filtered_at_destination", "Filtered at destination", 1, 20.0),
        ("mapping_selector", "Mapping selector", 4, 80.0),
        ("pending_retry", "Pending retry", 0, 0.0),
        ("failed_delivery", "Failed delivery", 1, 20.0),
        ("successful_delivery", "Successful delivery", 3, 60.0),
    ]
    (discard,) = data["discards"]
    assert (discard["step"], discard["reason"], discard["count"]) == (
        "filtered_at_destination",
        "NO_MATCHING_MAPPING",
        1,
    )
    assert [s["message_id"] for s in discard["samples"]] == ["skip-1"]
    (failure,) = data["failures"]
    assert (failure["step"], failure["reason"], failure["count"], failure["change_percent"]) == (
        "failed_delivery",
        "400",
        1,
        None,
    )
    assert failure["samples"][0]["detail"] == "vendor answered 400"
    # 24 hours in 24-minute points: 60 of them, every one present, the totals intact.
    chart = data["timeseries"]
    assert len(chart) == 60 and chart[0] == {"at": iso(NOW - 86400), "delivered": 0, "failed": 0}
    assert sum(p["delivered"] for p in chart) == 3 and sum(p["failed"] for p in chart) == 1


def test_overview_percent_is_null_without_received_events(world: World) -> None:
    _, destination, _ = _setup(world)

    data = _overview(world, destination["id"])

    assert {s["count"] for s in data["steps"]} == {0}
    assert {s["percent"] for s in data["steps"]} == {None}
    assert data["discards"] == [] and data["failures"] == []


def test_overview_narrows_to_a_mapping_of_that_destination(world: World) -> None:
    source, destination, (orders, other) = _setup(world, "Orders", "Other")
    _, elsewhere, (foreign,) = _setup(world, "Foreign")
    moved = {"map_orders": orders["id"], "map_other": other["id"]}
    outcomes = delivered("a-1", T0) + delivered("a-2", T0 + 60)
    outcomes += delivered("b-1", T0 + 120, mappings=("map_other",))
    world.record(
        retarget(outcomes, source=source["id"], destination=destination["id"], mappings=moved)
    )

    mine = _overview(world, destination["id"], mapping_id=orders["id"])
    everything = _overview(world, destination["id"], mapping_id="")

    def counts(data: dict) -> dict[str, int]:
        return {s["step"]: s["count"] for s in data["steps"]}

    assert mine["mapping_id"] == orders["id"]
    # Routing happens before a mapping is chosen, so it stays destination-wide.
    assert (counts(mine)["successfully_received"], counts(mine)["successful_delivery"]) == (3, 2)
    assert sum(p["delivered"] for p in mine["timeseries"]) == 2
    assert (everything["mapping_id"], counts(everything)["successful_delivery"]) == (None, 3)
    wrong = _overview(world, destination["id"], 404, mapping_id=foreign["id"])
    assert wrong["error"]["field"] == "mapping_id"
    missing = _overview(world, destination["id"], 404, mapping_id="map_nope")
    assert missing["error"]["field"] == "mapping_id"
    assert _overview(world, elsewhere["id"], mapping_id=foreign["id"])["steps"][0]["count"] == 0


def test_discards_keep_ten_samples_and_compare_with_the_previous_window(world: World) -> None:
    source, destination, _ = _setup(world)
    outcomes: list[Outcome] = []
    for n in range(2):  # the hour before the window
        outcomes += filtered(f"old-{n}", T0 - 1800 + n, reason="FILTERED_BY_RULES")
    for n in range(12):
        outcomes += filtered(f"new-{n}", T0 + 60 + n, reason="FILTERED_BY_RULES")
    outcomes += filtered("first-time", T0 + 600, reason="NO_MATCHING_MAPPING")
    world.record(retarget(outcomes, source=source["id"], destination=destination["id"]))

    data = _overview(world, destination["id"], start=iso(T0), end=iso(T0 + 3600))

    rows = {row["reason"]: row for row in data["discards"]}
    assert (rows["FILTERED_BY_RULES"]["count"], rows["FILTERED_BY_RULES"]["change_percent"]) == (
        12,
        500.0,
    )
    samples = rows["FILTERED_BY_RULES"]["samples"]
    assert len(samples) == 10 and samples[0]["message_id"] == "new-11"  # newest first
    assert (
        rows["NO_MATCHING_MAPPING"]["count"],
        rows["NO_MATCHING_MAPPING"]["change_percent"],
    ) == (
        1,
        None,
    )
    assert data["failures"] == []
    # One hour: 60 one-minute points.
    assert len(data["timeseries"]) == 60


def test_bad_time_ranges_answer_400_naming_the_parameter(world: World) -> None:
    _, destination, _ = _setup(world)
    dest = destination["id"]

    def error(**params: Any) -> dict[str, Any]:
        return _overview(world, dest, 400, **params)["error"]

    not_a_date = error(start="yesterday", end=iso(NOW))
    assert (not_a_date["status"], not_a_date["code"], not_a_date["field"]) == (
        400,
        "bad_request",
        "start",
    )
    assert error(end="2026-13-45T00:00:00Z")["field"] == "end"
    assert error(start="2026-11-01T10:00:00")["rule"] == "must carry a timezone (Z or +hh:mm)"
    assert error(start=iso(NOW), end=iso(NOW - 3600))["field"] == "end"
    assert error(start=iso(NOW), end=iso(NOW))["field"] == "end"
    # The metrics store's own rule (10 minutes to 2 weeks), translated rather than a 500.
    short = error(start=iso(NOW - 300), end=iso(NOW))
    assert short["field"] == "end" and "at least 10 minutes" in short["rule"]
    assert "at most 2 weeks" in error(start=iso(NOW - 15 * 86400), end=iso(NOW))["rule"]


def test_unknown_objects_answer_404(world: World) -> None:
    assert _overview(world, "dst_nope", 404)["error"]["field"] == "destination_id"
    assert world.get("/destinations/dst_nope/failed-events", 404)["error"]["field"] == (
        "destination_id"
    )
    replay = world.api.call("POST", "/destinations/dst_nope/failed-events/replay", {}, status=404)
    assert replay["error"]["field"] == "destination_id"
    assert world.get("/sources/src_nope/events", 404)["error"]["field"] == "source_id"


def test_every_route_needs_the_admin_token(world: World) -> None:
    _, destination, _ = _setup(world)
    dest = destination["id"]
    for method, path in [
        ("GET", f"/destinations/{dest}/delivery-overview"),
        ("GET", f"/destinations/{dest}/failed-events"),
        ("POST", f"/destinations/{dest}/failed-events/replay"),
        ("GET", "/sources/src_any/events"),
        ("GET", "/events/m-1/trace"),
    ]:
        response = world.api.client.request(method, f"/api/v1{path}")
        assert response.status_code == 401, (path, response.text)


def test_routes_answer_503_naming_the_missing_service(api: Api) -> None:
    source = api.source()
    destination = api.webhook(source["id"])
    dest = destination["id"]
    for method, path, service in [
        ("GET", f"/destinations/{dest}/delivery-overview", "metrics"),
        ("GET", f"/destinations/{dest}/failed-events", "dead_letters"),
        ("POST", f"/destinations/{dest}/failed-events/replay", "dead_letters"),
        ("GET", f"/sources/{source['id']}/events", "metrics"),
        ("GET", "/events/m-1/trace", "metrics"),
    ]:
        body = api.call(method, path, {} if method == "POST" else None, status=503)
        assert (body["error"]["field"], body["error"]["code"]) == (service, "unavailable")


# ---- failed events and replay -----------------------------------------------------------


def _planned(
    destination_id: str, mapping: dict, message_id: str, vendor: MockServer
) -> PlannedDelivery:
    payload = WEBHOOK.action("send").build_payload(
        {"url": f"{vendor.url}/hook", "method": "POST", "data": {"@path": "$.properties"}},
        {"type": "track", "event": "Order Completed", "properties": {"order": message_id}},
    )
    return PlannedDelivery(
        destination_id=destination_id,
        destination_type="actions-webhook",
        mapping_id=mapping["id"],
        action="send",
        payload=payload,
        source_id="src-1",
        message_id=message_id,
        delivery_key=f"{message_id}:{mapping['id']}",
        event_type="track",
        event_name="Order Completed",
        received_at=time.time(),
    )


def _dead_letter(world: World, destination_id: str, *planned: PlannedDelivery) -> None:
    """Deliver `planned` with a real DeliveryService; the vendor's 400 dead-letters them."""

    async def run() -> None:
        service = DeliveryService(
            world.stream,
            resolve=lambda _: (WEBHOOK, {"sharedSecret": SECRET}),
            recorder=ListRecorder(),
            config=FAST,
        )
        await service.start([destination_id])
        try:
            await world.stream.publish(
                [item.to_json() for item in planned],
                subject=pipeline.deliveries_subject(destination_id),
            )
            deadline = time.monotonic() + 10
            while len((await service.dead_letters.list_failed(destination_id)).items) < len(
                planned
            ):
                assert time.monotonic() < deadline, "deliveries were not dead-lettered"
                await asyncio.sleep(0.02)
        finally:
            await service.stop()

    world.portal.call(run)


def _backlog(world: World, destination_id: str) -> tuple[int, int]:
    async def info() -> tuple[int, int]:
        name = pipeline.delivery_consumer_name(destination_id)
        consumer = await world.stream.consumer(name, consumer_config(destination_id, FAST))
        found = await consumer.info()
        return found.num_pending, found.num_dead_letters

    return world.portal.call(info)


@pytest.fixture
def refusing() -> Iterator[MockServer]:
    with MockServer(lambda request: MockResponse(400, "no such customer")) as server:
        yield server


def test_failed_events_are_listed_without_secrets_and_replayed(
    world: World, refusing: MockServer
) -> None:
    _, destination, (mapping,) = _setup(world, "Orders")
    dest = destination["id"]
    _dead_letter(world, dest, _planned(dest, mapping, "m-1", refusing))
    assert _backlog(world, dest) == (0, 1)

    response = world.api.client.get(
        f"/api/v1/destinations/{dest}/failed-events",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    assert SECRET not in response.text
    (event,) = response.json()["events"]
    assert response.json()["next_cursor"] is None
    assert (event["reason"], event["message_id"], event["mapping_id"], event["attempts"]) == (
        "400",
        "m-1",
        mapping["id"],
        1,
    )
    assert event["payload"] == {
        "url": f"{refusing.url}/hook",
        "method": "POST",
        "data": {"order": "m-1"},
    }
    assert isinstance(event["id"], int) and event["failed_at"].endswith("Z")

    replayed = world.api.call(
        "POST", f"/destinations/{dest}/failed-events/replay", {"ids": [event["id"]]}
    )

    assert replayed == {"replayed": 1, "skipped": 0}
    assert world.get(f"/destinations/{dest}/failed-events")["events"] == []
    assert _backlog(world, dest) == (1, 0)  # back in the queue, waiting for delivery


def test_replay_by_ids_leaves_the_others_and_refuses_unknown_fields(
    world: World, refusing: MockServer
) -> None:
    _, destination, (mapping,) = _setup(world, "Orders")
    dest = destination["id"]
    _dead_letter(world, dest, *(_planned(dest, mapping, m, refusing) for m in ("m-1", "m-2")))
    listed = world.get(f"/destinations/{dest}/failed-events")["events"]
    chosen = next(e for e in listed if e["message_id"] == "m-2")
    path = f"/destinations/{dest}/failed-events/replay"

    unknown = world.api.call("POST", path, {"ids": [chosen["id"]], "everything": True}, status=400)
    bad_ids = world.api.call("POST", path, {"ids": ["m-2"]}, status=400)
    bad_start = world.api.call("POST", path, {"start": "soon"}, status=400)
    assert [e["error"]["field"] for e in (unknown, bad_ids, bad_start)] == [
        "everything",
        "ids",
        "start",
    ]
    assert len(world.get(f"/destinations/{dest}/failed-events")["events"]) == 2

    assert world.api.call("POST", path, {"ids": [chosen["id"]]}) == {"replayed": 1, "skipped": 0}
    (left,) = world.get(f"/destinations/{dest}/failed-events")["events"]
    assert left["message_id"] == "m-1"
    assert world.api.call("POST", path, {"reason": "500"}) == {"replayed": 0, "skipped": 0}
    assert world.api.call("POST", path) == {"replayed": 1, "skipped": 0}
    assert _backlog(world, dest) == (2, 0)


def test_failed_events_filter_by_reason_and_time_and_page(
    world: World, refusing: MockServer
) -> None:
    _, destination, (mapping,) = _setup(world, "Orders")
    dest = destination["id"]
    before = time.time()
    _dead_letter(
        world, dest, *(_planned(dest, mapping, m, refusing) for m in ("m-1", "m-2", "m-3"))
    )
    after = time.time() + 1
    path = f"/destinations/{dest}/failed-events"

    first = world.get(path, limit=2, reason="400")
    second = world.get(path, limit=2, reason="400", cursor=first["next_cursor"])

    assert len(first["events"]) == 2 and first["next_cursor"] is not None
    assert len(second["events"]) == 1
    names = {e["message_id"] for e in first["events"] + second["events"]}
    assert names == {"m-1", "m-2", "m-3"}
    assert world.get(path, reason="500")["events"] == []
    assert len(world.get(path, start=iso(before), end=iso(after))["events"]) == 3
    assert world.get(path, start=iso(after))["events"] == []
    assert world.get(path, 400, limit="0")["error"]["field"] == "limit"
    assert world.get(path, 400, cursor="abc")["error"]["field"] == "cursor"
    assert world.get(path, 400, cursor="9" * 30)["error"]["field"] == "cursor"
    assert world.get(path, 400, limit="²")["error"]["field"] == "limit"
    assert world.get(path, 400, start="noon")["error"]["field"] == "start"


def test_a_delivery_service_given_as_the_dead_letter_service_works(
    world: World, refusing: MockServer
) -> None:
    """The runtime passes its DeliveryService; its dead letters are what the API lists."""
    _, destination, (mapping,) = _setup(world, "Orders")
    dest = destination["id"]
    _dead_letter(world, dest, _planned(dest, mapping, "m-1", refusing))
    world.ctx.dead_letters = DeliveryService(
        world.stream, resolve=lambda _: None, recorder=ListRecorder(), config=FAST
    )

    (event,) = world.get(f"/destinations/{dest}/failed-events")["events"]

    assert event["message_id"] == "m-1"


# ---- source debugger --------------------------------------------------------------------


def test_the_debugger_lists_newest_first_and_searches(world: World) -> None:
    source = world.api.source()
    other = world.api.source("App")
    outcomes = [
        received("e-1", T0, "Order Completed"),
        received("e-2", T0 + 10, "Signed Up"),
        received("e-3", T0 + 20, "Order Completed"),
        received("e-4", T0 + 30, "Home", kind="page"),
        replace(received("e-5", T0 + 40, kind="identify"), event_name="Jane"),
    ]
    world.record(retarget(outcomes, source=source["id"]))
    world.record(retarget([received("x-1", T0 + 50)], source=other["id"]))
    path = f"/sources/{source['id']}/events"

    events = world.get(path)["events"]

    assert [e["message_id"] for e in events] == ["e-5", "e-4", "e-3", "e-2", "e-1"]
    assert [(e["type"], e["event_name"]) for e in events[:3]] == [
        ("identify", None),
        ("page", None),
        ("track", "Order Completed"),
    ]
    assert events[2]["received_at"] == iso(T0 + 20)
    assert events[2]["event"]["event"] == "Order Completed"
    assert [e["message_id"] for e in world.get(path, limit="2")["events"]] == ["e-5", "e-4"]
    found = world.get(path, q='"event":"order completed"')["events"]
    assert [e["message_id"] for e in found] == ["e-3", "e-1"]
    assert len(world.get(path, q="")["events"]) == 5  # the web app sends an empty q
    assert world.get(path, 400, limit="0")["error"]["field"] == "limit"
    assert world.get(path, 400, limit="201")["error"]["field"] == "limit"
    assert world.get(path, 400, q="x" * 201)["error"]["field"] == "q"


def test_the_debugger_names_pages_and_shows_rejections(world: World) -> None:
    source = world.api.source()
    page = replace(received("p-1", T0), event_name="Pricing")
    outcomes = [page, rejected("r-1", T0 + 5, reason="message_too_large")]
    world.record(retarget(outcomes, source=source["id"]))

    rejection, accepted = world.get(f"/sources/{source['id']}/events")["events"]

    assert (rejection["verdict"], rejection["reason"], rejection["message_id"]) == (
        "rejected",
        "message_too_large",
        "r-1",
    )
    assert (accepted["verdict"], accepted["reason"], accepted["event_name"]) == (
        "accepted",
        None,
        "Pricing",
    )


# ---- traces -----------------------------------------------------------------------------


def test_a_trace_shows_every_stage_or_answers_404(world: World) -> None:
    source, destination, _ = _setup(world)
    world.record(
        retarget(
            delivered("m-1", T0, retries=("429",)),
            source=source["id"],
            destination=destination["id"],
        )
    )

    trace = world.get("/events/m-1/trace")
    missing = world.get("/events/m-unknown/trace", 404)
    too_long = world.get(f"/events/{'m' * 201}/trace", 400)

    assert trace["message_id"] == "m-1"
    assert [(s["step"], s["verdict"]) for s in trace["stages"]] == [
        ("received", "accepted"),
        ("routed", "routed"),
        ("planned", "planned"),
        ("pending_retry", "retrying"),
        ("successful_delivery", "delivered"),
    ]
    assert trace["stages"][3]["reason"] == "429"
    assert {s["destination_id"] for s in trace["stages"][1:]} == {destination["id"]}
    assert missing["error"]["field"] == "message_id"
    assert too_long["error"]["field"] == "message_id"


def test_the_source_overview_counts_received_and_failed_on_ingest_by_reason(world: World) -> None:
    source = world.api.source()
    outcomes = [
        received("ok-1", T0),
        received("ok-2", T0 + 1),
        received("ok-3", T0 + 2),
        rejected("bad-1", T0 + 3, reason="message_too_large"),
        rejected("bad-2", T0 + 4, reason="no_user_anon_id"),
        rejected("bad-3", T0 + 5, reason="no_user_anon_id"),
    ]
    world.record(retarget(outcomes, source=source["id"]))
    path = f"/sources/{source['id']}/overview"

    overview = world.get(path)

    assert (overview["received"], overview["failed_on_ingest"]) == (3, 3)
    assert {r["reason"]: r["count"] for r in overview["rejects"]} == {"message_too_large": 1, "no_user_anon_id": 2}
    assert {s["message_id"] for r in overview["rejects"] for s in r["samples"]} == {"bad-1", "bad-2", "bad-3"}
    before = world.get(path, start=iso(T0 - 7200), end=iso(T0 - 3600))
    assert (before["received"], before["failed_on_ingest"], before["rejects"]) == (0, 0, [])
    assert world.get(path, 400, start="yesterday")["error"]["field"] == "start"
    assert world.get("/sources/src_nope/overview", 404)["error"]["field"] == "source_id"
