"""Metrics tests run on a real SQLite file in tmp_path, and on PostgreSQL too when
`SLUICEWAY_TEST_DATABASE_URL` names a database the suite may create schemas in."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sluiceway.metrics import MetricsStore

from ._events import NOW

POSTGRES_URL_ENV = "SLUICEWAY_TEST_DATABASE_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def metrics_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'metrics.db'}"
        return
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        pytest.skip(f"set {POSTGRES_URL_ENV} to run the metrics suite on PostgreSQL")
    schema = f"sluiceway_metrics_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(server).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(metrics_url: str) -> Iterator[MetricsStore]:
    """A store whose clock stands at NOW, so pruning is deterministic."""
    opened = MetricsStore.open(metrics_url, clock=lambda: NOW)
    yield opened
    opened.close()
