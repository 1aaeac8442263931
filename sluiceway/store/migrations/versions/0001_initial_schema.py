"""Initial configuration schema: workspaces, sources, destinations, mappings, filters,
enrichment models, and the configuration version counter with its change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Types are spelled out here, not imported from the models, so this revision keeps
# describing the schema it created when the models move on.
_JSON = sa.JSON()  # not JSONB: it would reorder the keys of field mappings
_ID = sa.String(length=32)
_NAME = sa.String(length=255)


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _reference(owner: str, column: str, target: str, ondelete: str | None) -> tuple:
    """A required id column and its foreign key, named as the models' convention does."""
    return (
        sa.Column(column, _ID, nullable=False),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{owner}_{column}_{target}"), ondelete=ondelete
        ),
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "config_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_config_version")),
    )
    op.bulk_insert(
        sa.table("config_version", sa.column("id", sa.Integer()), sa.column("version", sa.BigInteger())),
        [{"id": 1, "version": 0}],
    )
    op.create_table(
        "config_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        _timestamp("at"),
        sa.Column("actor", _NAME, nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", _ID, nullable=True),
        sa.Column("detail", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_config_changes")),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", _ID, nullable=False),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    op.create_table(
        "sources",
        sa.Column("id", _ID, nullable=False),
        *_reference("sources", "workspace_id", "workspaces", "CASCADE"),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("write_key", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("workspace_id", "slug", name=op.f("uq_sources_workspace_id_slug")),
        sa.UniqueConstraint("write_key", name=op.f("uq_sources_write_key")),
    )
    _index("sources", "workspace_id")
    op.create_table(
        "destinations",
        sa.Column("id", _ID, nullable=False),
        *_reference("destinations", "workspace_id", "workspaces", "CASCADE"),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", _JSON, nullable=False),
        sa.Column("secret_keys", _JSON, nullable=False),
        sa.Column("secret_settings", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destinations")),
    )
    _index("destinations", "workspace_id")
    op.create_table(
        "connections",
        *_reference("connections", "destination_id", "destinations", "CASCADE"),
        *_reference("connections", "source_id", "sources", "CASCADE"),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("destination_id", "source_id", name=op.f("pk_connections")),
    )
    _index("connections", "source_id")
    op.create_table(
        "enrichment_models",
        sa.Column("id", _ID, nullable=False),
        *_reference("enrichment_models", "workspace_id", "workspaces", "CASCADE"),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("key_path", _NAME, nullable=False),
        sa.Column("key_column", _NAME, nullable=False),
        sa.Column("rows", _JSON, nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrichment_models")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_enrichment_models_workspace_id_name")),
    )
    _index("enrichment_models", "workspace_id")
    op.create_table(
        "mappings",
        sa.Column("id", _ID, nullable=False),
        *_reference("mappings", "destination_id", "destinations", "CASCADE"),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("subscribe", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=128), nullable=False),
        sa.Column("mapping", _JSON, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mappings")),
    )
    _index("mappings", "destination_id")
    op.create_table(
        "mapping_enrichments",
        *_reference("mapping_enrichments", "mapping_id", "mappings", "CASCADE"),
        *_reference("mapping_enrichments", "enrichment_id", "enrichment_models", None),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mapping_id", "enrichment_id", name=op.f("pk_mapping_enrichments")),
    )
    _index("mapping_enrichments", "enrichment_id")
    op.create_table(
        "destination_filters",
        sa.Column("id", _ID, nullable=False),
        *_reference("destination_filters", "destination_id", "destinations", "CASCADE"),
        *_reference("destination_filters", "source_id", "sources", "CASCADE"),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("actions", _JSON, nullable=False),
        sa.Column("title", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destination_filters")),
    )
    _index("destination_filters", "destination_id")
    _index("destination_filters", "source_id")


def downgrade() -> None:
    for table in (
        "destination_filters",
        "mapping_enrichments",
        "mappings",
        "enrichment_models",
        "connections",
        "destinations",
        "sources",
        "workspaces",
        "config_changes",
        "config_version",
    ):
        op.drop_table(table)
