"""What every service shares: sessions, the secret box, limits, the acting user, and
the one way to change configuration (`StoreContext.change`).

A change bumps the version counter as its first statement, so the row lock (on
SQLite, BEGIN IMMEDIATE) serialises writers before any rule is checked: checks such
as "at most 50 mappings" cannot race, and versions commit in increasing order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .encryption import SecretBox
from .engine import WRITE_OPTION
from .errors import ConflictError, NotFoundError
from .limits import Limits
from .models import Base, ConfigChange, ConfigVersion, Timestamped
from .records import json_view

logger = logging.getLogger("sluiceway.store")
Row = TypeVar("Row", bound=Base)
Record = TypeVar("Record")
Stamped = TypeVar("Stamped", bound=Timestamped)
VERSION_ROW_ID = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


class Change:
    """One change in progress: its session, its version, and what to log about it."""

    def __init__(self, session: Session, version: int) -> None:
        self.session = session
        self.version = version
        self.entity_id: str | None = None
        self.detail: dict[str, Any] = {}

    def describe(self, entity_id: str | None, detail: dict[str, Any]) -> None:
        """What the change log keeps: the entity and its state after the change."""
        self.entity_id = entity_id
        self.detail = detail

    def result(self, row: Row, to_record: Callable[[Row], Record]) -> Record:
        """`row` as a record, logged as the outcome of this change."""
        self.session.flush()
        record = to_record(row)
        self.describe(getattr(record, "id", None), json_view(record))
        return record


class StoreContext:
    def __init__(self, engine: Engine, box: SecretBox, limits: Limits, actor: str) -> None:
        self.engine = engine
        self.box = box
        self.limits = limits
        self.actor = actor
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        consistent = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if engine.dialect.name == "postgresql"
            else engine
        )
        self._snapshot_reader = sessionmaker(consistent, expire_on_commit=False)

    def acting_as(self, actor: str) -> StoreContext:
        """The same store, with changes logged under `actor`."""
        return StoreContext(self.engine, self.box, self.limits, actor)

    @contextmanager
    def read(self, *, consistent: bool = False) -> Iterator[Session]:
        """A read-only session; `consistent` reads every table at one point in time."""
        maker = self._snapshot_reader if consistent else self._reader
        with maker() as session:
            yield session  # closing the session rolls the read transaction back

    @contextmanager
    def change(self, action: str, entity: str) -> Iterator[Change]:
        """A transaction that bumps the version and logs `action` when it commits."""
        try:
            with self._writer() as session, session.begin():
                change = Change(session, _bump_version(session))
                yield change
                session.add(
                    ConfigChange(
                        version=change.version,
                        at=utc_now(),
                        actor=self.actor,
                        action=action,
                        entity=entity,
                        entity_id=change.entity_id,
                        detail=change.detail,
                    )
                )
        except IntegrityError as error:
            raise ConflictError(entity, f"conflicts with existing data ({error.orig})") from None
        logger.info(
            "config version %d: %s %s by %s", change.version, action, change.entity_id, self.actor
        )


def touch(row: Stamped) -> Stamped:
    """Mark `row` as updated now."""
    row.updated_at = utc_now()
    return row


def fetch(session: Session, model: type[Row], entity_id: Any, field: str) -> Row:
    """The row of `model` with this id, or NotFoundError naming `field`."""
    row = session.get(model, entity_id) if isinstance(entity_id, str) else None
    if row is None:
        raise NotFoundError(field, f"no {_entity_name(model)} has id {entity_id!r}")
    return row


def _entity_name(model: type[Base]) -> str:
    return str(model.__tablename__).rstrip("s").replace("_", " ")


def _bump_version(session: Session) -> int:
    session.execute(
        update(ConfigVersion)
        .where(ConfigVersion.id == VERSION_ROW_ID)
        .values(version=ConfigVersion.version + 1)
        .execution_options(synchronize_session=False)
    )
    return session.execute(
        select(ConfigVersion.version).where(ConfigVersion.id == VERSION_ROW_ID)
    ).scalar_one()
