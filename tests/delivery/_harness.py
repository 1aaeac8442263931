"""A real queue (SQLite in tmp_path), a real vendor (MockServer) and a small destination.

    async with Harness(tmp_path, server) as h:
        await h.publish(h.planned("m-1"))
        await wait_for(lambda: h.finished("m-1"))

Nothing is mocked: the worker fetches from SQLite and sends HTTP to a local server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sluiceway import pipeline
from sluiceway.delivery import DeliveryConfig, DeliveryService, RetryPolicy, consumer_config
from sluiceway.kit import Action, Destination, Field, MultiStatus, RequestClient
from sluiceway.kit.testing import MockServer
from sluiceway.metrics import ListRecorder, Outcome, Step
from sluiceway.pipeline import PlannedDelivery
from sluiceway.queue import ConsumerInfo, SqliteBroker, SqliteConsumer, SqliteStream

API = "https://api.acme.test"
FAST = DeliveryConfig(
    concurrency=4,
    linger_s=0.05,
    ack_wait_s=2.0,
    poll_s=0.05,
    drain_timeout_s=2.0,
    retry=RetryPolicy(base_s=0.01, cap_s=0.05, window_s=60.0),
    breaker_threshold=1000,
    breaker_cooldown_s=1.0,
)


async def _track(request: RequestClient, payload: dict, settings: dict, auth: Any) -> Any:
    return await request(f"{API}/v1/track", method="POST", json=payload)


async def _track_batch(
    request: RequestClient, payloads: list, settings: dict, auth: Any
) -> MultiStatus:
    """The vendor answers one result per event: {"results": [{"status": 200}, ...]}."""
    response = await request(f"{API}/v1/batch", method="POST", json={"events": payloads})
    statuses = MultiStatus()
    for index, result in enumerate(response.data["results"]):
        if result["status"] < 300:
            statuses.set_success(index, status=result["status"], body=result)
        else:
            statuses.set_error(
                index, status=result["status"], message=result.get("error", ""), body=result
            )
    return statuses


def _extend(settings: dict, auth: Any, payload: Any) -> dict[str, Any]:
    return {"headers": {"Authorization": f"Bearer {settings['api_key']}"}}


_EVENT_FIELDS = {
    "event": Field(label="Event", required=True),
    "user_id": Field(label="User ID"),
}

ACME = Destination(
    name="Acme",
    slug="acme-test",
    settings={"api_key": Field(label="API Key", type="password", required=True)},
    extend_request=_extend,
    timeout=1.0,
    actions={
        "track": Action(title="Track", fields=_EVENT_FIELDS, perform=_track),
        "trackBatch": Action(
            title="Track (batched)",
            fields={**_EVENT_FIELDS, "region": Field(label="Region")},
            perform=_track,
            perform_batch=_track_batch,
            batch_keys=("region",),
            max_batch_size=3,
        ),
    },
)


class Harness:
    """A running DeliveryService over a SQLite queue, with helpers to publish and observe."""

    def __init__(
        self,
        tmp_path: Path,
        servers: dict[str, MockServer] | MockServer,
        *,
        config: DeliveryConfig = FAST,
        destination: Destination = ACME,
        **service_options: Any,
    ) -> None:
        self.path = tmp_path / "queue.db"
        self.servers = servers if isinstance(servers, dict) else {"dest-a": servers}
        self.config = config
        self.recorder = ListRecorder()
        self.settings = {
            dest_id: {"api_key": f"key-{dest_id}", "base_url_override": server.url}
            for dest_id, server in self.servers.items()
        }
        self.destination = destination
        self.enabled = set(self.servers)
        self._service_options = service_options

    def resolve(self, destination_id: str) -> tuple[Destination, dict[str, Any]] | None:
        if destination_id not in self.enabled:
            return None
        return self.destination, self.settings[destination_id]

    async def __aenter__(self) -> Harness:
        self.broker = await SqliteBroker.open(self.path, poll_interval_s=0.01)
        self.stream: SqliteStream = await self.broker.stream(pipeline.DELIVERIES_STREAM)
        self.service = self.new_service()
        await self.service.start(sorted(self.servers))
        return self

    def new_service(self) -> DeliveryService:
        return DeliveryService(
            self.stream,
            resolve=self.resolve,
            recorder=self.recorder,
            config=self.config,
            **self._service_options,
        )

    async def __aexit__(self, *exc_info: object) -> None:
        await self.service.stop()
        await self.broker.close()

    # ---- publishing -------------------------------------------------------------------

    @staticmethod
    def planned(
        message_id: str = "m-1",
        *,
        destination_id: str = "dest-a",
        action: str = "track",
        payload: dict[str, Any] | None = None,
        mapping_id: str = "map-1",
        received_at: float | None = None,
    ) -> PlannedDelivery:
        return PlannedDelivery(
            destination_id=destination_id,
            destination_type="acme-test",
            mapping_id=mapping_id,
            action=action,
            payload=payload
            if payload is not None
            else {"event": "Order Completed", "user_id": message_id},
            source_id="src-1",
            message_id=message_id,
            delivery_key=f"{message_id}:{mapping_id}",
            event_type="track",
            event_name="Order Completed",
            received_at=time.time() if received_at is None else received_at,
        )

    async def publish(self, *deliveries: PlannedDelivery) -> None:
        by_destination: dict[str, list[dict[str, Any]]] = {}
        for planned in deliveries:
            by_destination.setdefault(planned.destination_id, []).append(planned.to_json())
        for destination_id, messages in by_destination.items():
            await self.stream.publish(messages, subject=pipeline.deliveries_subject(destination_id))

    # ---- observing --------------------------------------------------------------------

    def outcomes(self, message_id: str | None = None) -> list[Outcome]:
        return [
            o for o in self.recorder.outcomes if message_id is None or o.message_id == message_id
        ]

    def steps(self, message_id: str) -> list[Step]:
        return [o.step for o in self.outcomes(message_id)]

    def finished(self, *message_ids: str) -> bool:
        final = {Step.SUCCESSFUL_DELIVERY, Step.FAILED_DELIVERY}
        return all(any(o.step in final for o in self.outcomes(m)) for m in message_ids)

    async def consumer(self, destination_id: str = "dest-a") -> SqliteConsumer:
        name = pipeline.delivery_consumer_name(destination_id)
        return await self.stream.consumer(name, consumer_config(destination_id, self.config))

    async def info(self, destination_id: str = "dest-a") -> ConsumerInfo:
        return await (await self.consumer(destination_id)).info()


async def wait_for(
    condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
) -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.01)


def with_config(**changes: Any) -> DeliveryConfig:
    return replace(FAST, **changes)
