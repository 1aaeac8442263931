"""Starting, stopping and reconfiguring workers; OAuth tokens refreshed and handed back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from sluiceway.delivery import DeliveryWorker
from sluiceway.kit import Action, Authentication, AuthTokens, Destination, Field, RequestClient
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest
from sluiceway.metrics import Step

from ._harness import Harness, wait_for, with_config


async def test_graceful_stop_finishes_the_request_in_flight(tmp_path: Path) -> None:
    with MockServer() as server:
        server.enqueue(MockResponse(200, delay=0.4))
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: len(server.requests) == 1, what="request in flight")
            await h.service.stop()
            info = await h.info()

    assert h.steps("m-1") == [Step.SUCCESSFUL_DELIVERY]
    assert (info.num_pending, info.num_ack_pending) == (0, 0)


async def test_worker_killed_mid_flight_leaves_the_message_to_be_redelivered(
    tmp_path: Path,
) -> None:
    config = with_config(ack_wait_s=0.5)
    with MockServer() as server:
        server.enqueue(MockResponse(200, delay=0.4))
        async with Harness(tmp_path, server, config=config) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: len(server.requests) == 1, what="request in flight")
            await h.service.worker("dest-a").stop(drain_timeout_s=0)  # abandon it, like a crash
            assert h.outcomes("m-1") == [] and (await h.info()).num_ack_pending == 1

            async with httpx.AsyncClient() as http:
                replacement = DeliveryWorker(
                    h.stream,
                    "dest-a",
                    resolve=h.resolve,
                    recorder=h.recorder,
                    http=http,
                    config=config,
                )
                await replacement.start()
                await wait_for(lambda: h.finished("m-1"), what="redelivery")
                await replacement.stop()
            info = await h.info()

    assert [r.body for r in server.requests] == [server.requests[0].body] * 2
    assert h.steps("m-1") == [Step.SUCCESSFUL_DELIVERY]
    assert info.num_ack_pending == 0


async def test_heartbeat_keeps_slow_work_from_being_redelivered(tmp_path: Path) -> None:
    config = with_config(ack_wait_s=0.2)
    with MockServer() as server:
        server.enqueue(MockResponse(200, delay=0.7))  # over three ack waits
        async with Harness(tmp_path, server, config=config) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="delivery")

    assert len(server.requests) == 1


async def test_sync_starts_new_destinations_and_stops_removed_ones(tmp_path: Path) -> None:
    with MockServer() as a, MockServer() as b:
        async with Harness(tmp_path, {"dest-a": a, "dest-b": b}) as h:
            await h.service.sync(["dest-a"])
            assert h.service.destination_ids == ["dest-a"]
            await h.publish(h.planned("b-1", destination_id="dest-b"))
            await asyncio.sleep(0.2)
            assert b.requests == []

            await h.service.sync(["dest-a", "dest-b"])
            await wait_for(lambda: h.finished("b-1"), what="delivery after sync")

    assert h.service.destination_ids == []
    assert len(b.requests) == 1


# ---- OAuth ----------------------------------------------------------------------------

STALE, FRESH = "stale-token", "fresh-token"


async def _refresh(request: RequestClient, settings: dict, auth: AuthTokens) -> Any:
    response = await request(
        "https://auth.vendor.test/oauth/token",
        method="POST",
        form={"grant_type": "refresh_token", "refresh_token": auth.refresh_token},
    )
    return response.data


async def _upsert(request: RequestClient, payload: dict, settings: dict, auth: AuthTokens) -> Any:
    return await request("https://api.vendor.test/contacts", method="POST", json=payload)


OAUTH_VENDOR = Destination(
    name="OAuth Vendor",
    slug="oauth-vendor",
    authentication=Authentication(scheme="oauth2", refresh_access_token=_refresh),
    extend_request=lambda settings, auth, payload: {
        "headers": {"Authorization": f"Bearer {auth.access_token}"}
    },
    actions={
        "track": Action(title="Upsert", fields={"event": Field(label="Event")}, perform=_upsert)
    },
)


def _vendor(request: RecordedRequest) -> MockResponse:
    if request.path == "/oauth/token":
        return MockResponse.json({"access_token": FRESH, "refresh_token": "refresh-2"})
    if request.header("authorization") == f"Bearer {FRESH}":
        return MockResponse.json({"id": "c1"})
    return MockResponse(401, "expired")


async def test_refreshed_tokens_are_handed_to_the_callback(tmp_path: Path) -> None:
    saved: list[tuple[str, AuthTokens]] = []

    async def save(destination_id: str, tokens: AuthTokens) -> None:
        saved.append((destination_id, tokens))

    with MockServer(_vendor) as server:
        async with Harness(tmp_path, server, destination=OAUTH_VENDOR, on_token_refresh=save) as h:
            h.settings["dest-a"]["oauth"] = {
                "access_token": STALE,
                "refresh_token": "refresh-1",
                "clientId": "c",
            }
            await h.publish(h.planned("m-1", payload={"event": "Signed Up"}))
            await wait_for(lambda: h.finished("m-1"), what="delivery")

    assert [(r.path, r.header("authorization")) for r in server.requests] == [
        ("/contacts", f"Bearer {STALE}"),
        ("/oauth/token", f"Bearer {STALE}"),
        ("/contacts", f"Bearer {FRESH}"),
    ]
    assert saved == [
        ("dest-a", AuthTokens(access_token=FRESH, refresh_token="refresh-2", client_id="c"))
    ]
    assert h.steps("m-1") == [Step.SUCCESSFUL_DELIVERY]
