"""Every change is versioned and logged; workers see a new version within a second."""

from __future__ import annotations

import asyncio
import threading

import pytest

from sluiceway.store import ConfigStore, ValidationError, create_store_engine

from .store_samples import ORDER_FIELDS, TRACK_ORDERS

GENEROUS_TIMEOUT = 10.0


def test_a_fresh_database_is_at_version_zero(store):
    assert store.current_version() == 0
    assert store.changes() == []


def test_every_change_bumps_the_version_by_one_and_logs_it(store):
    workspace = store.workspaces.create("Acme")
    source = store.sources.create(workspace.id, "Web")
    destination = store.destinations.create(workspace.id, "Hook", "webhook", source_ids=[source.id])
    mapping = store.mappings.create(destination.id, "Orders", TRACK_ORDERS, "post", ORDER_FIELDS)
    store.mappings.enable(mapping.id)
    store.mappings.delete(mapping.id)
    assert store.current_version() == 6
    log = store.changes()
    assert [change.version for change in log] == [1, 2, 3, 4, 5, 6]
    assert [change.action for change in log] == [
        "workspace.create",
        "source.create",
        "destination.create",
        "mapping.create",
        "mapping.enable",
        "mapping.delete",
    ]
    assert [change.entity_id for change in log] == [
        workspace.id,
        source.id,
        destination.id,
        mapping.id,
        mapping.id,
        mapping.id,
    ]
    assert log[4].detail["enabled"] is True
    assert {change.actor for change in log} == {"system"}


def test_a_refused_change_leaves_the_version_alone(store, destination):
    before = store.current_version()
    with pytest.raises(ValidationError):
        store.mappings.create(destination.id, "", TRACK_ORDERS, "post", ORDER_FIELDS)
    with pytest.raises(ValidationError):
        store.mappings.reorder(destination.id, ["nope"])
    assert store.current_version() == before
    assert store.changes()[-1].version == before


def test_changes_are_logged_under_the_acting_user(store, workspace):
    alice = store.acting_as("alice@example.com")
    alice.sources.create(workspace.id, "Web")
    assert store.changes()[-1].actor == "alice@example.com"
    store.sources.create(workspace.id, "App")
    assert store.changes()[-1].actor == "system"


def test_the_change_log_pages_by_version(store, workspace):
    for number in range(5):
        store.sources.create(workspace.id, f"S{number}")
    assert [change.version for change in store.changes(after=2, limit=2)] == [3, 4]


def test_another_process_sees_the_new_version(database_url, store, box, workspace):
    other_engine = create_store_engine(database_url)
    try:
        worker = ConfigStore(other_engine, box)
        seen = worker.current_version()
        store.sources.create(workspace.id, "Web")
        assert worker.wait_for_version(seen, timeout=GENEROUS_TIMEOUT) == seen + 1
        assert [source.name for source in worker.snapshot().sources] == ["Web"]
    finally:
        other_engine.dispose()


def test_wait_for_version_times_out_with_none_when_nothing_changes(store):
    assert store.wait_for_version(store.current_version(), timeout=0.05) is None


def test_a_watcher_is_told_about_a_change_made_elsewhere(database_url, store, box, workspace):
    other_engine = create_store_engine(database_url)
    worker = ConfigStore(other_engine, box)
    start = worker.current_version()
    made: list[int] = []

    def change_soon() -> None:
        store.sources.create(workspace.id, "Web")
        made.append(store.current_version())

    async def first_new_version() -> int:
        versions = worker.watch_versions(since=start)
        threading.Timer(0.05, change_soon).start()
        return await asyncio.wait_for(anext(versions), GENEROUS_TIMEOUT)

    try:
        seen = asyncio.run(first_new_version())
    finally:
        other_engine.dispose()
    assert made == [start + 1]
    assert seen == start + 1


def test_a_watcher_reports_each_new_version_in_order(store, workspace):
    async def watch_three() -> list[int]:
        versions = store.watch_versions(since=start)
        observed: list[int] = []
        for number in range(3):
            await asyncio.to_thread(store.sources.create, workspace.id, f"S{number}")
            observed.append(await asyncio.wait_for(anext(versions), GENEROUS_TIMEOUT))
        return observed

    start = store.current_version()
    assert asyncio.run(watch_three()) == [start + 1, start + 2, start + 3]


@pytest.mark.parametrize("interval", [0, -1, 0.5, 5, True])
def test_the_poll_interval_is_capped_so_changes_arrive_within_a_second(store, interval):
    with pytest.raises(ValidationError) as error:
        store.wait_for_version(0, timeout=0, interval=interval)
    assert error.value.field == "interval"
