"""Sources: where events come from, each authenticated by its own write key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ._context import StoreContext, fetch, touch, utc_now
from ._ids import new_id, new_write_key, slugify
from ._rules import check_bool, check_name, check_slug, free_slug
from .errors import ConflictError
from .models import Source, Workspace
from .records import SourceRecord, json_view


class SourceService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(
        self, workspace_id: str, name: str, *, slug: str | None = None, enabled: bool = True
    ) -> SourceRecord:
        """A new source with a fresh write key; the slug is derived from the name unless given."""
        name = check_name(name)
        check_bool(enabled, "enabled")
        with self._context.change("source.create", "source") as change:
            session = change.session
            fetch(session, Workspace, workspace_id, "workspace_id")
            if slug is None:
                slug = free_slug(
                    slugify(name, "source"), lambda taken: _slug_taken(session, workspace_id, taken)
                )
            elif _slug_taken(session, workspace_id, check_slug(slug)):
                raise ConflictError("slug", f"{slug!r} is already used by another source in this workspace")
            now = utc_now()
            row = Source(
                id=new_id(),
                workspace_id=workspace_id,
                name=name,
                slug=slug,
                write_key=new_write_key(),
                enabled=enabled,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            return change.result(row, source_record)

    def get(self, source_id: str) -> SourceRecord:
        with self._context.read() as session:
            return source_record(fetch(session, Source, source_id, "source_id"))

    def by_write_key(self, write_key: str) -> SourceRecord | None:
        """The source this write key authenticates, or None."""
        if not isinstance(write_key, str) or not write_key:
            return None
        with self._context.read() as session:
            row = session.scalar(select(Source).where(Source.write_key == write_key))
            return source_record(row) if row is not None else None

    def list(self, workspace_id: str | None = None) -> list[SourceRecord]:
        with self._context.read() as session:
            query = select(Source).order_by(Source.created_at, Source.id)
            if workspace_id is not None:
                query = query.where(Source.workspace_id == workspace_id)
            return [source_record(row) for row in session.scalars(query)]

    def rename(self, source_id: str, name: str) -> SourceRecord:
        """A new display name; the slug and write key stay, so nothing breaks."""
        name = check_name(name)
        with self._context.change("source.rename", "source") as change:
            row = fetch(change.session, Source, source_id, "source_id")
            row.name = name
            return change.result(touch(row), source_record)

    def enable(self, source_id: str) -> SourceRecord:
        return self._set_enabled(source_id, True)

    def disable(self, source_id: str) -> SourceRecord:
        """A disabled source routes nothing: its destinations stop receiving its events."""
        return self._set_enabled(source_id, False)

    def regenerate_write_key(self, source_id: str) -> SourceRecord:
        """A new write key; the old one stops authenticating at once."""
        with self._context.change("source.regenerate_write_key", "source") as change:
            row = fetch(change.session, Source, source_id, "source_id")
            row.write_key = new_write_key()
            return change.result(touch(row), source_record)

    def delete(self, source_id: str) -> None:
        """Delete the source, its connections and the filters tied to it."""
        with self._context.change("source.delete", "source") as change:
            row = fetch(change.session, Source, source_id, "source_id")
            change.describe(row.id, json_view(source_record(row)))
            change.session.delete(row)

    def _set_enabled(self, source_id: str, enabled: bool) -> SourceRecord:
        action = "source.enable" if enabled else "source.disable"
        with self._context.change(action, "source") as change:
            row = fetch(change.session, Source, source_id, "source_id")
            row.enabled = enabled
            return change.result(touch(row), source_record)


def source_record(row: Source) -> SourceRecord:
    return SourceRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        slug=row.slug,
        write_key=row.write_key,
        enabled=row.enabled,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _slug_taken(session: Session, workspace_id: str, slug: str) -> bool:
    query = select(Source.id).where(Source.workspace_id == workspace_id, Source.slug == slug)
    return session.scalar(query) is not None
