"""The router worker on a real SQLite queue and store: route, publish, ack, dedupe, reload."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from sluiceway import kit, pipeline
from sluiceway.metrics import ListRecorder, Step
from sluiceway.queue import ConsumerConfig, Delivery, SqliteBroker
from sluiceway.service import Claim, ConfigCache, MessageDedupe, RouterWorker
from sluiceway.service.router_worker import ROUTER_CONSUMER, _parse
from sluiceway.store import ConfigStore, SecretBox, create_store_engine

HOOK = "https://hooks.example.com/in"


class Rig:
    def __init__(self, tmp_path: Path, broker: SqliteBroker) -> None:
        self.store = ConfigStore.open(
            directory=tmp_path / "data", box=SecretBox([Fernet.generate_key()])
        )
        self.broker = broker
        self.recorder = ListRecorder()
        workspace = self.store.workspaces.ensure_default()
        self.source = self.store.sources.create(workspace.id, "Website")
        self.destination = self.store.destinations.create(
            workspace.id, "Hook", "actions-webhook", source_ids=[self.source.id]
        )
        self.dedupe = MessageDedupe(create_store_engine(f"sqlite:///{tmp_path / 'state.db'}"))

    async def worker(self, refresh_interval_s: float = 0.0) -> RouterWorker:
        worker = RouterWorker(
            store=self.store,
            catalog=kit.catalog(),
            events=await self.broker.stream(pipeline.EVENTS_STREAM),
            deliveries=await self.broker.stream(pipeline.DELIVERIES_STREAM),
            recorder=self.recorder,
            dedupe=self.dedupe,
            refresh_interval_s=refresh_interval_s,
        )
        await worker.attach()
        return worker

    def add_mapping(self, subscribe: str = 'type = "track"') -> str:
        body = {"url": HOOK, "method": "POST", "data": {"@path": "$.properties"}}
        return self.store.mappings.create(
            self.destination.id, "M", subscribe, "send", body, enabled=True
        ).id

    async def send(self, *events: dict[str, Any]) -> None:
        stream = await self.broker.stream(pipeline.EVENTS_STREAM)
        await stream.publish(list(events), subject=pipeline.events_subject(self.source.id))

    async def planned(self) -> list[pipeline.PlannedDelivery]:
        stream = await self.broker.stream(pipeline.DELIVERIES_STREAM)
        consumer = await stream.consumer(
            pipeline.delivery_consumer_name(self.destination.id),
            ConsumerConfig(
                deliver_policy="all",
                filter_subjects=(pipeline.deliveries_subject(self.destination.id),),
            ),
        )
        got = await consumer.fetch(100, wait_s=0.2)
        await consumer.ack(*got)
        return [pipeline.PlannedDelivery.from_json(item.json()) for item in got]


@contextlib.asynccontextmanager
async def open_rig(tmp_path: Path) -> AsyncIterator[Rig]:
    broker = await SqliteBroker.open(tmp_path / "queue.db")
    rig = Rig(tmp_path, broker)
    try:
        yield rig
    finally:
        await broker.close()
        rig.store.close()


def _track(message_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "Signed Up",
        "messageId": message_id,
        "userId": "u",
        "properties": {"plan": "pro"},
        **extra,
    }


async def test_queued_events_become_planned_deliveries_and_are_acked(tmp_path: Path) -> None:
    async with open_rig(tmp_path) as rig:
        mapping_id = rig.add_mapping()
        worker = await rig.worker()
        await rig.send(_track("a"), _track("b"))

        assert await worker.run_once(wait_s=0.5) == 2

        planned = await rig.planned()
        assert [(p.message_id, p.mapping_id, p.payload["data"]) for p in planned] == [
            ("a", mapping_id, {"plan": "pro"}),
            ("b", mapping_id, {"plan": "pro"}),
        ]
        assert await worker.run_once(wait_s=0.1) == 0  # acked: not routed again
        steps = [o.step for o in rig.recorder.outcomes]
        assert steps.count(Step.ROUTED) == 2 and steps.count(Step.PLANNED) == 2


async def test_a_repeated_message_id_is_routed_once(tmp_path: Path) -> None:
    async with open_rig(tmp_path) as rig:
        rig.add_mapping()
        worker = await rig.worker()
        await rig.send(_track("same"), _track("same"))
        await worker.run_once(wait_s=0.5)
        await rig.send(_track("same"))
        await worker.run_once(wait_s=0.5)

        assert len(await rig.planned()) == 1
        reasons = [
            o.reason for o in rig.recorder.outcomes if o.step is Step.FILTERED_AT_DESTINATION
        ]
        assert reasons == [pipeline.DUPLICATE_MESSAGE_ID, pipeline.DUPLICATE_MESSAGE_ID]


async def test_a_redelivered_event_is_not_mistaken_for_a_duplicate(tmp_path: Path) -> None:
    async with open_rig(tmp_path) as rig:
        rig.add_mapping()
        worker = await rig.worker()
        await rig.send(_track("once"))
        # A router that claimed the message and died before acking: same sequence number.
        assert rig.dedupe.duplicates([Claim(rig.source.id, "once", 1)], time.time()) == set()

        await worker.run_once(wait_s=0.5)

        assert [p.message_id for p in await rig.planned()] == ["once"]


@pytest.mark.parametrize("refresh_interval_s", [0.0, 3600.0])
async def test_a_configuration_change_applies_to_the_next_events(tmp_path: Path, refresh_interval_s: float) -> None:
    # However rarely the version is polled, an event queued after a change is routed
    # with it: a mapping saved just before an SDK sends must not miss the event.
    async with open_rig(tmp_path) as rig:
        worker = await rig.worker(refresh_interval_s)
        await rig.send(_track("before"))
        await worker.run_once(wait_s=0.5)
        rig.add_mapping()
        await rig.send(_track("after"))
        await worker.run_once(wait_s=0.5)

        assert [p.message_id for p in await rig.planned()] == ["after"]
        reasons = [
            o.reason for o in rig.recorder.outcomes if o.step is Step.FILTERED_AT_DESTINATION
        ]
        assert reasons == [pipeline.NO_MATCHING_MAPPING]


async def test_a_malformed_queue_message_is_dead_lettered_not_retried_forever(
    tmp_path: Path,
) -> None:
    async with open_rig(tmp_path) as rig:
        rig.add_mapping()
        worker = await rig.worker()
        stream = await rig.broker.stream(pipeline.EVENTS_STREAM)
        await stream.publish([b"not json"], subject=pipeline.events_subject(rig.source.id))
        await rig.send(_track("good"))

        await worker.run_once(wait_s=0.5)

        assert [p.message_id for p in await rig.planned()] == ["good"]
        consumer = await stream.consumer("router")
        assert (await consumer.info()).num_dead_letters == 1


async def test_the_background_loop_routes_until_stopped(tmp_path: Path) -> None:
    async with open_rig(tmp_path) as rig:
        rig.add_mapping()
        worker = await rig.worker()
        await worker.start()
        try:
            await rig.send(_track("live"))
            for _ in range(50):
                if any(o.step is Step.PLANNED for o in rig.recorder.outcomes):
                    break
                await asyncio.sleep(0.05)
        finally:
            await worker.stop()
        assert [p.message_id for p in await rig.planned()] == ["live"]


async def test_an_unknown_write_key_checks_for_a_new_configuration_at_most_once_per_interval(
    tmp_path: Path,
) -> None:
    async with open_rig(tmp_path) as rig:
        cache = ConfigCache(rig.store, miss_check_s=0.0)
        other = rig.store.sources.create(rig.source.workspace_id, "App")
        assert cache.source_for_write_key(other.write_key).id == other.id  # no poll needed

        slow = ConfigCache(rig.store, miss_check_s=3600)
        third = rig.store.sources.create(rig.source.workspace_id, "Server")
        assert slow.source_for_write_key(third.write_key) is None  # within the interval: no query


async def test_the_config_cache_sees_a_new_source_after_a_refresh(tmp_path: Path) -> None:
    async with open_rig(tmp_path) as rig:
        cache = ConfigCache(rig.store, interval_s=0.01, miss_check_s=3600)
        assert cache.source_for_write_key(rig.source.write_key).id == rig.source.id
        other = rig.store.sources.create(rig.source.workspace_id, "App")
        assert cache.source_for_write_key(other.write_key) is None

        await cache.start()
        try:
            for _ in range(100):
                if cache.source_for_write_key(other.write_key) is not None:
                    break
                await asyncio.sleep(0.01)
        finally:
            await cache.stop()
        assert cache.source_for_write_key(other.write_key).id == other.id


def test_each_event_is_read_with_its_own_subjects_source_and_strays_are_malformed() -> None:
    """The source id is split from each subject once per batch; every event still gets its own."""

    def queued(seq: int, data: bytes, subject: str) -> Delivery:
        return Delivery(seq, data, 1, 0.0, subject, pipeline.EVENTS_STREAM, ROUTER_CONSUMER)

    parsed, malformed = _parse([
        queued(1, b'{"n": 1}', "events.src_a"),
        queued(2, b'{"n": 2}', "events.src_b"),
        queued(3, b'{"n": 3}', "events.src_a"),
        queued(4, b'{"n": 4}', "events."),
        queued(5, b'{"n": 5}', "deliveries.src_a"),
        queued(6, b"[1]", "events.src_a"),
        queued(7, b"not json", "events.src_b"),
    ])

    assert [(d.id, event["n"], source) for d, event, source in parsed] == [
        (1, 1, "src_a"), (2, 2, "src_b"), (3, 3, "src_a"),
    ]
    assert [d.id for d in malformed] == [4, 5, 6, 7]
