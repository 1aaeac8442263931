"""The metrics tables are derived data: reopening keeps them, a version change rebuilds them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from sluiceway.metrics import METRICS_DATABASE_FILE, MetricsStore
from sluiceway.metrics._schema import schema_version

from ._events import DESTINATION, NOW, T0, delivered

WINDOW = (T0, T0 + 600)


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'metrics.db'}"
    first = MetricsStore.open(url, clock=lambda: NOW)
    first.write(delivered("a", T0))
    first.close()

    again = MetricsStore.open(url, clock=lambda: NOW)

    assert not again.rebuilt
    assert again.overview(DESTINATION, *WINDOW).steps[0].count == 1
    again.close()


def test_another_schema_version_is_rebuilt_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'metrics.db'}"
    first = MetricsStore.open(url, clock=lambda: NOW)
    first.write(delivered("a", T0))
    with first.engine.begin() as connection:
        connection.execute(update(schema_version).values(version=0))
    first.close()

    again = MetricsStore.open(url, clock=lambda: NOW)

    assert again.rebuilt
    assert again.overview(DESTINATION, *WINDOW).steps[0].count == 0
    again.close()


def test_default_location_is_metrics_db_in_the_data_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLUICEWAY_DATA_DIR", str(tmp_path / "data"))

    store = MetricsStore.open()
    store.close()

    assert (tmp_path / "data" / METRICS_DATABASE_FILE).is_file()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "mysql://localhost/x"}, "url: metrics need SQLite or PostgreSQL"),
        ({"trace_retention_s": 0}, "trace_retention_s: must be greater than 0"),
        ({"trace_cap": 0}, "trace_cap: must be an integer >= 1"),
        ({"debugger_size": 0}, "debugger_size: must be an integer >= 1"),
        ({"trace_budget": 0}, "trace_budget: must be an integer >= 1, or None"),
    ],
)
def test_options_are_validated(tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MetricsStore.open(**{"url": f"sqlite:///{tmp_path / 'm.db'}", **options})


def _open_at_once(url: str, ready: threading.Barrier, go: threading.Event) -> bool:
    """One process's start: wait for the others, then open the store (creating its tables)."""
    from sluiceway.service.dedupe import MessageDedupe

    ready.wait()
    go.wait()
    store = MetricsStore.open(url, clock=lambda: NOW)
    MessageDedupe(store.engine)
    rebuilt = store.rebuilt
    store.close()
    return rebuilt


def test_processes_starting_together_on_a_fresh_database_take_turns(metrics_url: str) -> None:
    """`serve --no-workers` and `worker` started at once used to hit "database is locked"."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    starts = 4
    with context.Manager() as manager:
        ready, go = manager.Barrier(starts), manager.Event()
        with context.Pool(starts) as pool:
            results = pool.starmap_async(_open_at_once, [(metrics_url, ready, go)] * starts)
            go.set()
            built = results.get(timeout=120)

    assert sorted(built) == [False] * (starts - 1) + [True]
