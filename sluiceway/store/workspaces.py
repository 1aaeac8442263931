"""Workspaces: the top-level container of sources, destinations and enrichment models."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ._context import StoreContext, fetch, touch, utc_now
from ._ids import new_id, slugify
from ._rules import check_name, check_slug, free_slug
from .errors import ConflictError
from .models import Destination, Workspace
from .records import WorkspaceRecord, json_view

DEFAULT_WORKSPACE_NAME = "Default"


class WorkspaceService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(self, name: str, *, slug: str | None = None) -> WorkspaceRecord:
        """A new workspace; the slug is derived from the name unless given."""
        name = check_name(name)
        with self._context.change("workspace.create", "workspace") as change:
            session = change.session
            if slug is None:
                slug = free_slug(slugify(name, "workspace"), lambda slug: _slug_taken(session, slug))
            elif _slug_taken(session, check_slug(slug)):
                raise ConflictError("slug", f"{slug!r} is already used by another workspace")
            now = utc_now()
            row = Workspace(id=new_id(), name=name, slug=slug, created_at=now, updated_at=now)
            session.add(row)
            return change.result(row, workspace_record)

    def ensure_default(self) -> WorkspaceRecord:
        """The oldest workspace, creating "Default" when there is none (first start)."""
        existing = self.list()
        return existing[0] if existing else self.create(DEFAULT_WORKSPACE_NAME)

    def get(self, workspace_id: str) -> WorkspaceRecord:
        with self._context.read() as session:
            return workspace_record(fetch(session, Workspace, workspace_id, "workspace_id"))

    def list(self) -> list[WorkspaceRecord]:
        with self._context.read() as session:
            rows = session.scalars(select(Workspace).order_by(Workspace.created_at, Workspace.id))
            return [workspace_record(row) for row in rows]

    def rename(self, workspace_id: str, name: str) -> WorkspaceRecord:
        name = check_name(name)
        with self._context.change("workspace.rename", "workspace") as change:
            row = fetch(change.session, Workspace, workspace_id, "workspace_id")
            row.name = name
            return change.result(touch(row), workspace_record)

    def delete(self, workspace_id: str) -> None:
        """Delete the workspace and everything in it: sources, destinations, models."""
        with self._context.change("workspace.delete", "workspace") as change:
            row = fetch(change.session, Workspace, workspace_id, "workspace_id")
            change.describe(row.id, json_view(workspace_record(row)))
            # Destinations (with their mappings) go first: a mapping's link to an
            # enrichment model is RESTRICT, and PostgreSQL may otherwise cascade to the
            # models before the links that protect them.
            for destination in change.session.scalars(
                select(Destination).where(Destination.workspace_id == workspace_id)
            ):
                change.session.delete(destination)
            change.session.flush()
            change.session.delete(row)


def workspace_record(row: Workspace) -> WorkspaceRecord:
    return WorkspaceRecord(
        id=row.id, name=row.name, slug=row.slug, created_at=row.created_at, updated_at=row.updated_at
    )


def _slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None

