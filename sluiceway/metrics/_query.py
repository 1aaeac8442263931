"""Helpers every query shares: argument checks, the count filter, ratios, payloads."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, and_, or_, true
from sqlalchemy.dialects import postgresql, sqlite

from . import _schema as tables
from .timerange import TimeRange

MAX_QUERY_LENGTH = 200


def require_id(value: object, argument: str) -> str:
    """A non-empty id string, or a ValueError naming the argument."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{argument}: must be a non-empty string")
    if len(value) > tables.KEY_LENGTH:
        raise ValueError(f"{argument}: must be at most {tables.KEY_LENGTH} characters")
    return value


def optional_id(value: object, argument: str) -> str | None:
    return None if value is None else require_id(value, argument)


def counts_in(window: TimeRange, **equal: str) -> ColumnElement[bool]:
    """Count rows of every minute overlapping `window`, with the given columns equal."""
    c = tables.counts.c
    conditions = [c.bucket >= window.first_bucket, c.bucket < window.end]
    conditions.extend(c[name] == value for name, value in equal.items())
    return and_(*conditions)


def for_mapping(column: Any, mapping_id: str | None) -> ColumnElement[bool]:
    """Rows of one mapping plus the destination-wide rows (no mapping), which concern it too."""
    if mapping_id is None:
        return true()
    return or_(column == mapping_id, column == "")


def percent_change(current: int, previous: int) -> float | None:
    """Change against the previous period in %, None when there was nothing to compare with."""
    if previous == 0:
        return None
    return round((current - previous) * 100 / previous, 1)


def percent(count: int, base: int) -> float | None:
    return None if base == 0 else round(count * 100 / base, 2)


def dialect_insert(connection: Connection) -> Any:
    """The dialect's own `insert`, which has the upsert (`on_conflict_do_update`) the core one lacks."""
    return sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert


def decode(payload: str | None) -> Any:
    return None if payload is None else orjson.loads(payload)


def or_none(value: str) -> str | None:
    """Key columns store "" for "none"; results say None."""
    return value or None
