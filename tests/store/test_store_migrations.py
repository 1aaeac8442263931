"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from sluiceway.store import alembic_config, create_store_engine, current_revision, migrate
from sluiceway.store.models import Base


def test_the_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_brings_the_database_to_the_latest_revision(database_url):
    assert current_revision(database_url) is None
    migrate(database_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert current_revision(database_url) == head


def test_migrating_twice_changes_nothing(engine):
    tables = set(inspect(engine).get_table_names())
    migrate(engine)
    assert set(inspect(engine).get_table_names()) == tables
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version FROM config_version").all() == [(0,)]


def test_every_model_table_is_created(engine):
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_downgrade_to_base_removes_every_table(database_url):
    migrate(database_url)
    engine = create_store_engine(database_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
