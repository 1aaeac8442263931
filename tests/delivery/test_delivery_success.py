"""A delivery that succeeds is acked once, sent exactly as the action builds it, and reported."""

from __future__ import annotations

from pathlib import Path

from sluiceway.delivery import DESTINATION_DISABLED
from sluiceway.kit.testing import MockResponse, MockServer
from sluiceway.metrics import Step

from ._harness import Harness, wait_for


async def test_success_acks_and_records_the_exact_request(tmp_path: Path) -> None:
    with MockServer() as server:
        server.enqueue(MockResponse.json({"accepted": True}))
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="delivery")

            (request,) = server.requests
            assert (request.method, request.target) == ("POST", "/v1/track")
            assert request.body == b'{"event":"Order Completed","user_id":"m-1"}'
            assert request.app_headers == {
                "authorization": "Bearer key-dest-a",
                "content-type": "application/json",
                "user-agent": "Segment (Actions)",
            }
            info = await h.info()
            assert (info.num_pending, info.num_ack_pending, info.num_dead_letters) == (0, 0, 0)

            (outcome,) = h.outcomes("m-1")
            assert outcome.step is Step.SUCCESSFUL_DELIVERY
            assert (outcome.destination_id, outcome.mapping_id, outcome.source_id) == (
                "dest-a",
                "map-1",
                "src-1",
            )
            assert (outcome.event_type, outcome.event_name, outcome.reason) == (
                "track",
                "Order Completed",
                None,
            )
            sample = outcome.sample
            assert sample["payload"] == {"event": "Order Completed", "user_id": "m-1"}
            assert sample["request"]["method"] == "POST"
            assert sample["request"]["url"] == f"{server.url}/v1/track"
            assert sample["request"]["body"] == '{"event":"Order Completed","user_id":"m-1"}'
            assert sample["response"] == {"status": 200, "body": '{"accepted":true}'}


async def test_samples_never_show_the_credentials(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            h.settings["dest-a"]["api_key"] = "super-secret-key"
            await h.publish(h.planned("m-1", payload={"event": "leak super-secret-key"}))
            await wait_for(lambda: h.finished("m-1"), what="delivery")

    assert server.requests[0].header("authorization") == "Bearer super-secret-key"
    sample = h.outcomes("m-1")[0].sample
    assert sample["request"]["headers"]["authorization"] == "Bearer ••••••••••"
    assert "super-secret-key" not in sample["request"]["body"]


async def test_settings_are_read_at_delivery_time(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="first delivery")
            h.settings["dest-a"]["api_key"] = "rotated-key"
            await h.publish(h.planned("m-2"))
            await wait_for(lambda: h.finished("m-2"), what="second delivery")

    assert [r.header("authorization") for r in server.requests] == [
        "Bearer key-dest-a",
        "Bearer rotated-key",
    ]


async def test_disabled_destination_dead_letters_without_sending(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            h.enabled.clear()
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="dead letter")
            page = await h.service.dead_letters.list_failed("dest-a")

    assert server.requests == []
    (outcome,) = h.outcomes("m-1")
    assert (outcome.step, outcome.reason) == (Step.FAILED_DELIVERY, DESTINATION_DISABLED)
    assert [failed.reason for failed in page.items] == [DESTINATION_DISABLED]
    assert page.items[0].planned == h.planned("m-1", received_at=page.items[0].planned.received_at)


async def test_malformed_message_is_dead_lettered(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            await h.stream.publish([b"not json", {"hello": "world"}], subject="deliveries.dest-a")
            await wait_for(lambda: len(h.outcomes()) == 2, what="two outcomes")
            page = await h.service.dead_letters.list_failed("dest-a")

    assert server.requests == []
    assert {o.reason for o in h.outcomes()} == {"MALFORMED_DELIVERY"}
    assert [(f.reason, f.planned) for f in page.items] == [("MALFORMED_DELIVERY", None)] * 2
