"""Store tests run on SQLite in a temporary directory, and on PostgreSQL too when
`SLUICEWAY_TEST_DATABASE_URL` names a database the suite may create schemas in
(each test gets its own schema, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from sluiceway.store import ConfigStore, SecretBox, create_store_engine, migrate
from sluiceway.store.records import DestinationRecord, SourceRecord, WorkspaceRecord

POSTGRES_URL_ENV = "SLUICEWAY_TEST_DATABASE_URL"



@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'config.db'}"
        return
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        pytest.skip(f"set {POSTGRES_URL_ENV} to run the store suite on PostgreSQL")
    schema = f"sluiceway_test_{uuid.uuid4().hex[:12]}"
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
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_store_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def secret_key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def box(secret_key: bytes) -> SecretBox:
    return SecretBox([secret_key])


@pytest.fixture
def store(engine: Engine, box: SecretBox) -> ConfigStore:
    return ConfigStore(engine, box)


@pytest.fixture
def workspace(store: ConfigStore) -> WorkspaceRecord:
    return store.workspaces.create("Acme")


@pytest.fixture
def source(store: ConfigStore, workspace: WorkspaceRecord) -> SourceRecord:
    return store.sources.create(workspace.id, "Website")


@pytest.fixture
def destination(
    store: ConfigStore, workspace: WorkspaceRecord, source: SourceRecord
) -> DestinationRecord:
    return store.destinations.create(
        workspace.id,
        "Slack",
        "slack",
        settings={"channel": "#orders"},
        source_ids=[source.id],
    )
