"""Enrichment models: named lookup tables a mapping can use to add data to events.

Kept deliberately simple: a model is a list of rows (JSON objects) and the name of
the column that identifies a row (`key_column`), plus the event path whose value is
looked up (`key_path`, dotted, e.g. `properties.sku`). A product catalog keyed by SKU
is the typical case. Rows live in the configuration database, so a change to them is
a configuration change like any other: versioned and seen by workers within a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from ._context import Change, StoreContext, fetch, touch, utc_now
from ._ids import new_id
from ._rules import check_json_object, check_name
from .errors import ConflictError, ValidationError
from .models import EnrichmentModel, Mapping, MappingEnrichment, Workspace
from .records import EnrichmentRecord, json_view

_PATH = re.compile(r"[^.\s]+(?:\.[^.\s]+)*")


class EnrichmentService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(
        self,
        workspace_id: str,
        name: str,
        *,
        key_path: str,
        key_column: str,
        rows: Sequence[dict[str, Any]],
    ) -> EnrichmentRecord:
        """A new lookup table; `name` is unique within the workspace."""
        name = check_name(name)
        key_path = check_key_path(key_path)
        key_column = check_name(key_column, "key_column")
        table = check_rows(rows, key_column)
        with self._context.change("enrichment.create", "enrichment") as change:
            session = change.session
            fetch(session, Workspace, workspace_id, "workspace_id")
            _check_name_free(change, workspace_id, name, None)
            now = utc_now()
            row = EnrichmentModel(
                id=new_id(),
                workspace_id=workspace_id,
                name=name,
                key_path=key_path,
                key_column=key_column,
                rows=table,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            return change.result(row, enrichment_record)

    def get(self, enrichment_id: str) -> EnrichmentRecord:
        with self._context.read() as session:
            return enrichment_record(fetch(session, EnrichmentModel, enrichment_id, "enrichment_id"))

    def list(self, workspace_id: str | None = None) -> list[EnrichmentRecord]:
        with self._context.read() as session:
            query = select(EnrichmentModel).order_by(EnrichmentModel.name, EnrichmentModel.id)
            if workspace_id is not None:
                query = query.where(EnrichmentModel.workspace_id == workspace_id)
            return [enrichment_record(row) for row in session.scalars(query)]

    def update(
        self,
        enrichment_id: str,
        *,
        name: str | None = None,
        key_path: str | None = None,
        key_column: str | None = None,
        rows: Sequence[dict[str, Any]] | None = None,
    ) -> EnrichmentRecord:
        """Change any part; rows are checked against the (possibly new) key column."""
        with self._context.change("enrichment.update", "enrichment") as change:
            row = fetch(change.session, EnrichmentModel, enrichment_id, "enrichment_id")
            if name is not None:
                row.name = _check_name_free(change, row.workspace_id, check_name(name), row.id)
            if key_path is not None:
                row.key_path = check_key_path(key_path)
            if key_column is not None:
                row.key_column = check_name(key_column, "key_column")
            row.rows = check_rows(row.rows if rows is None else rows, row.key_column)
            return change.result(touch(row), enrichment_record)

    def delete(self, enrichment_id: str) -> None:
        """Delete the model; refused while a mapping still uses it."""
        with self._context.change("enrichment.delete", "enrichment") as change:
            session = change.session
            row = fetch(session, EnrichmentModel, enrichment_id, "enrichment_id")
            users = session.scalars(
                select(Mapping.name)
                .join(MappingEnrichment, MappingEnrichment.mapping_id == Mapping.id)
                .where(MappingEnrichment.enrichment_id == enrichment_id)
                .order_by(Mapping.name)
            ).all()
            if users:
                raise ConflictError(
                    "enrichment_id",
                    f"is used by mapping(s) {', '.join(map(repr, users))}; remove it from them first",
                )
            change.describe(row.id, json_view(enrichment_record(row)))
            session.delete(row)


def check_key_path(value: Any) -> str:
    if not isinstance(value, str) or not _PATH.fullmatch(value):
        raise ValidationError("key_path", f"must be a dotted event path such as properties.sku, got {value!r}")
    return value


def check_rows(rows: Any, key_column: str) -> list[dict[str, Any]]:
    """The rows as JSON objects, each with a string or number under `key_column`, no key twice."""
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise ValidationError("rows", "must be a list of objects")
    table: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for index, value in enumerate(rows):
        field = f"rows[{index}]"
        row = check_json_object(value, field)
        key = row.get(key_column)
        if isinstance(key, bool) or not isinstance(key, str | int | float):
            raise ValidationError(f"{field}.{key_column}", "is the key column: it must be a string or a number")
        if key in seen:
            raise ValidationError(f"{field}.{key_column}", f"repeats the key {key!r}; keys must be unique")
        seen.add(key)
        table.append(row)
    return table


def enrichment_record(row: EnrichmentModel) -> EnrichmentRecord:
    return EnrichmentRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        key_path=row.key_path,
        key_column=row.key_column,
        rows=[dict(item) for item in row.rows],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check_name_free(change: Change, workspace_id: str, name: str, own_id: str | None) -> str:
    clash = change.session.scalar(
        select(EnrichmentModel.id).where(
            EnrichmentModel.workspace_id == workspace_id, EnrichmentModel.name == name
        )
    )
    if clash is not None and clash != own_id:
        raise ConflictError("name", f"an enrichment model named {name!r} already exists in this workspace")
    return name
