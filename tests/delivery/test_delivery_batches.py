"""Batched actions: one request per mapping and batch key, and per-item settling."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson

from sluiceway.kit import Field
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest
from sluiceway.metrics import Step

from ._harness import ACME, Harness, wait_for, with_config


def _all_ok(request: RecordedRequest) -> MockResponse:
    if request.path != "/v1/batch":
        return MockResponse.json({"ok": True})
    events = request.json()["events"]
    return MockResponse.json({"results": [{"status": 200} for _ in events]})


def _event(message_id: str, region: str = "us") -> dict:
    return {"event": "Order Completed", "user_id": message_id, "region": region}


async def test_events_of_one_mapping_and_key_share_a_request(tmp_path: Path) -> None:
    with MockServer(_all_ok) as server:
        async with Harness(tmp_path, server, config=with_config(linger_s=0.2)) as h:
            await h.publish(
                h.planned("m-1", action="trackBatch", payload=_event("m-1", "us")),
                h.planned("m-2", action="trackBatch", payload=_event("m-2", "us")),
                h.planned("m-3", action="trackBatch", payload=_event("m-3", "eu")),
                h.planned(
                    "m-4", action="trackBatch", payload=_event("m-4", "us"), mapping_id="map-2"
                ),
            )
            await wait_for(lambda: h.finished("m-1", "m-2", "m-3", "m-4"), what="deliveries")

    batches = sorted([e["user_id"] for e in r.json()["events"]] for r in server.requests)
    assert batches == [["m-1", "m-2"], ["m-3"], ["m-4"]]
    assert {r.path for r in server.requests} == {"/v1/batch"}
    assert {o.step for o in h.outcomes()} == {Step.SUCCESSFUL_DELIVERY}


async def test_a_full_batch_leaves_without_waiting_for_the_linger(tmp_path: Path) -> None:
    # max_batch_size is 3; a linger of 30 s would time the test out if full batches waited.
    with MockServer(_all_ok) as server:
        async with Harness(tmp_path, server, config=with_config(linger_s=30)) as h:
            ids = [f"m-{n}" for n in range(6)]
            await h.publish(*(h.planned(m, action="trackBatch", payload=_event(m)) for m in ids))
            await wait_for(lambda: h.finished(*ids), what="two full batches")

    assert sorted(len(r.json()["events"]) for r in server.requests) == [3, 3]


async def test_partial_failure_retries_only_the_failed_retryable_items(tmp_path: Path) -> None:
    def vendor(request: RecordedRequest) -> MockResponse:
        results = []
        for event in request.json()["events"]:
            if event["user_id"] == "m-2" and len(server.requests) == 1:
                results.append({"status": 503, "error": "shard unavailable"})
            elif event["user_id"] == "m-3":
                results.append({"status": 400, "error": "invalid user"})
            else:
                results.append({"status": 200})
        return MockResponse.json({"results": results}, status=207)

    with MockServer(vendor) as server:
        async with Harness(tmp_path, server) as h:
            ids = ["m-1", "m-2", "m-3"]
            await h.publish(*(h.planned(m, action="trackBatch", payload=_event(m)) for m in ids))
            await wait_for(lambda: h.finished(*ids), what="deliveries")
            page = await h.service.dead_letters.list_failed("dest-a")
            info = await h.info()

    sent = [[e["user_id"] for e in r.json()["events"]] for r in server.requests]
    assert sent == [["m-1", "m-2", "m-3"], ["m-2"]]
    assert h.steps("m-1") == [Step.SUCCESSFUL_DELIVERY]
    assert [(o.step, o.reason) for o in h.outcomes("m-2")] == [
        (Step.PENDING_RETRY, "503"),
        (Step.SUCCESSFUL_DELIVERY, None),
    ]
    failed = h.outcomes("m-3")
    assert [(o.step, o.reason, o.detail) for o in failed] == [
        (Step.FAILED_DELIVERY, "400", "invalid user")
    ]
    assert failed[0].sample == {
        "payload": _event("m-3"),
        "response": {
            "status": 400,
            "body": orjson.dumps({"status": 400, "error": "invalid user"}).decode(),
        },
    }
    assert [(f.reason, f.planned.message_id) for f in page.items] == [("400", "m-3")]
    assert (info.num_ack_pending, info.num_dead_letters) == (0, 1)


async def test_batching_switched_off_in_the_mapping_sends_alone(tmp_path: Path) -> None:
    batch_action = ACME.actions["trackBatch"]
    fields = {**batch_action.fields, "enable_batching": Field(label="Batch", type="boolean")}
    destination = replace(ACME, actions={"trackBatch": replace(batch_action, fields=fields)})
    with MockServer(_all_ok) as server:
        async with Harness(tmp_path, server, destination=destination) as h:
            await h.publish(
                h.planned(
                    "m-1", action="trackBatch", payload={**_event("m-1"), "enable_batching": False}
                ),
                h.planned(
                    "m-2", action="trackBatch", payload={**_event("m-2"), "enable_batching": True}
                ),
            )
            await wait_for(lambda: h.finished("m-1", "m-2"), what="deliveries")

    assert sorted(r.path for r in server.requests) == ["/v1/batch", "/v1/track"]
