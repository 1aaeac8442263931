"""The configuration schema as SQLAlchemy 2 typed ORM models.

Secrets never reach a column in plaintext: a destination's secret settings live in
`Destination.secret_settings` as one Fernet token, the rest in `Destination.settings`.
`ConfigVersion` is a single row whose counter every change increments in its own
transaction; `ConfigChange` is the log of those changes, one row per version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

ID = String(32)
NAME = String(255)
# Plain JSON, not JSONB, on PostgreSQL too: JSONB reorders object keys, and the key
# order of a field mapping is the key order of the request body it builds.
JSON_DOCUMENT = JSON()

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UtcDateTime(),
        dict[str, Any]: JSON_DOCUMENT,
        list[Any]: JSON_DOCUMENT,
    }


class Timestamped:
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Workspace(Timestamped, Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    slug: Mapped[str] = mapped_column(String(100), unique=True)


class Source(Timestamped, Base):
    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(NAME)
    slug: Mapped[str] = mapped_column(String(100))
    write_key: Mapped[str] = mapped_column(String(64), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class Destination(Timestamped, Base):
    __tablename__ = "destinations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(NAME)
    type: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean)
    settings: Mapped[dict[str, Any]]
    secret_keys: Mapped[list[Any]]
    secret_settings: Mapped[str] = mapped_column(Text)

    connections: Mapped[list[Connection]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Connection.created_at"
    )


class Connection(Base):
    """A source connected to a destination: its events are routed there."""

    __tablename__ = "connections"

    destination_id: Mapped[str] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[str] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]


class Mapping(Timestamped, Base):
    __tablename__ = "mappings"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    destination_id: Mapped[str] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(NAME)
    subscribe: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(128))
    mapping: Mapped[dict[str, Any]]
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)

    enrichments: Mapped[list[MappingEnrichment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MappingEnrichment.position"
    )


class MappingEnrichment(Base):
    """An enrichment model a mapping uses; a model in use cannot be deleted."""

    __tablename__ = "mapping_enrichments"

    mapping_id: Mapped[str] = mapped_column(
        ForeignKey("mappings.id", ondelete="CASCADE"), primary_key=True
    )
    enrichment_id: Mapped[str] = mapped_column(
        ForeignKey("enrichment_models.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class DestinationFilter(Timestamped, Base):
    """A destination filter in the Public API's shape; `condition` is its `if`."""

    __tablename__ = "destination_filters"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    destination_id: Mapped[str] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[str] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    condition: Mapped[str] = mapped_column(Text)
    actions: Mapped[list[Any]]
    title: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean)


class EnrichmentModel(Timestamped, Base):
    """A named lookup table: `rows` keyed by `key_column`, looked up by an event path."""

    __tablename__ = "enrichment_models"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(NAME)
    key_path: Mapped[str] = mapped_column(NAME)
    key_column: Mapped[str] = mapped_column(NAME)
    rows: Mapped[list[Any]]


class ConfigVersion(Base):
    """The one-row counter of configuration changes.

    Every change increments it first thing in its transaction; the row lock this
    takes serialises writers, so versions are committed in increasing order and a
    watcher comparing numbers never misses a change.
    """

    __tablename__ = "config_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class ConfigChange(Base):
    """Who changed what, when: one row per configuration version."""

    __tablename__ = "config_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(NAME)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(ID)
    detail: Mapped[dict[str, Any]]
