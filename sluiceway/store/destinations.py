"""Destination instances: a catalog type, settings with secrets encrypted at rest, the
sources connected to it, and an on/off switch.

Which settings are secret is declared by the destination's type (the kit knows), so
the caller passes `secret_keys`; the store remembers them per instance. Secret values
are encrypted together into one Fernet token; records show them masked.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import delete, select

from ._context import Change, StoreContext, fetch, touch, utc_now
from ._ids import new_id
from ._rules import check_bool, check_id, check_key, check_name
from .encryption import SecretBox
from .errors import ConflictError, ValidationError
from .masking import check_settings, mask_settings, resolve_masked, split_settings
from .models import Connection, Destination, DestinationFilter, Source, Workspace
from .records import DestinationRecord, json_view


class DestinationService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(
        self,
        workspace_id: str,
        name: str,
        type: str,
        *,
        settings: Mapping[str, Any] | None = None,
        secret_keys: Collection[str] = (),
        enabled: bool = True,
        source_ids: Collection[str] = (),
    ) -> DestinationRecord:
        """A new destination instance of catalog `type`, connected to `source_ids`."""
        name = check_name(name)
        check_key(type, "type")
        check_bool(enabled, "enabled")
        values, secrets = check_settings({} if settings is None else settings, secret_keys)
        values = resolve_masked(values, secrets, {})
        with self._context.change("destination.create", "destination") as change:
            session = change.session
            fetch(session, Workspace, workspace_id, "workspace_id")
            now = utc_now()
            row = Destination(
                id=new_id(),
                workspace_id=workspace_id,
                name=name,
                type=type,
                enabled=enabled,
                created_at=now,
                updated_at=now,
            )
            _store_settings(row, values, secrets, self._context.box)
            session.add(row)
            for source_id in dict.fromkeys(source_ids):
                _connect(change, row, source_id, now)
            return change.result(row, self._record)

    def get(self, destination_id: str) -> DestinationRecord:
        with self._context.read() as session:
            row = fetch(session, Destination, destination_id, "destination_id")
            return destination_record(row, self._context.box)

    def list(self, workspace_id: str | None = None) -> list[DestinationRecord]:
        with self._context.read() as session:
            query = select(Destination).order_by(Destination.created_at, Destination.id)
            if workspace_id is not None:
                query = query.where(Destination.workspace_id == workspace_id)
            return [destination_record(row, self._context.box) for row in session.scalars(query)]

    def masked_settings(self, destination_id: str) -> dict[str, Any]:
        """The settings as every response shows them: secrets replaced by SECRET_MASK."""
        return self.get(destination_id).settings

    def reveal_settings(self, destination_id: str) -> dict[str, Any]:
        """The plaintext settings, for code that must call the destination (delivery,
        "test connection"); never put the result in a response or a log."""
        with self._context.read() as session:
            row = fetch(session, Destination, destination_id, "destination_id")
            return plain_settings(row, self._context.box)

    def update_settings(
        self,
        destination_id: str,
        settings: Mapping[str, Any],
        *,
        secret_keys: Collection[str] | None = None,
    ) -> DestinationRecord:
        """Replace the settings, as a settings form submits them.

        A secret sent back as SECRET_MASK keeps its stored value; a setting left out is
        removed. `secret_keys` replaces the declared secret keys when given.
        """
        with self._context.change("destination.update_settings", "destination") as change:
            row = fetch(change.session, Destination, destination_id, "destination_id")
            declared = row.secret_keys if secret_keys is None else secret_keys
            values, secrets = check_settings(settings, declared)
            stored = plain_settings(row, self._context.box)
            values = resolve_masked(values, secrets | frozenset(row.secret_keys), stored)
            _store_settings(row, values, secrets, self._context.box)
            return change.result(touch(row), self._record)

    def rename(self, destination_id: str, name: str) -> DestinationRecord:
        name = check_name(name)
        with self._context.change("destination.rename", "destination") as change:
            row = fetch(change.session, Destination, destination_id, "destination_id")
            row.name = name
            return change.result(touch(row), self._record)

    def enable(self, destination_id: str) -> DestinationRecord:
        return self._set_enabled(destination_id, True)

    def disable(self, destination_id: str) -> DestinationRecord:
        """A disabled destination receives nothing; its mappings keep their own state."""
        return self._set_enabled(destination_id, False)

    def connect(self, destination_id: str, source_id: str) -> DestinationRecord:
        """Route `source_id`'s events to this destination (same workspace only)."""
        with self._context.change("destination.connect", "destination") as change:
            row = fetch(change.session, Destination, destination_id, "destination_id")
            _connect(change, row, source_id, utc_now())
            return change.result(touch(row), self._record)

    def disconnect(self, destination_id: str, source_id: str) -> DestinationRecord:
        """Stop routing `source_id` here; the filters tied to this pair are deleted too."""
        check_id(source_id, "source_id")
        with self._context.change("destination.disconnect", "destination") as change:
            session = change.session
            row = fetch(session, Destination, destination_id, "destination_id")
            link = session.get(Connection, (destination_id, source_id))
            if link is None:
                raise ValidationError("source_id", f"source {source_id!r} is not connected to this destination")
            row.connections.remove(link)
            removed = session.execute(
                delete(DestinationFilter).where(
                    DestinationFilter.destination_id == destination_id,
                    DestinationFilter.source_id == source_id,
                )
            ).rowcount
            record = change.result(touch(row), self._record)
            change.detail["filters_deleted"] = removed
            return record

    def delete(self, destination_id: str) -> None:
        """Delete the destination with its mappings, filters and connections; no undo."""
        with self._context.change("destination.delete", "destination") as change:
            row = fetch(change.session, Destination, destination_id, "destination_id")
            change.describe(row.id, json_view(destination_record(row, self._context.box)))
            change.session.delete(row)

    def rotate_secrets(self) -> int:
        """Re-encrypt every destination's secrets with the first key; returns how many."""
        with self._context.change("destination.rotate_secrets", "destination") as change:
            rows = change.session.scalars(select(Destination)).all()
            for row in rows:
                row.secret_settings = self._context.box.rotate(row.secret_settings)
            change.describe(None, {"destinations": len(rows)})
            return len(rows)

    def _record(self, row: Destination) -> DestinationRecord:
        return destination_record(row, self._context.box)

    def _set_enabled(self, destination_id: str, enabled: bool) -> DestinationRecord:
        action = "destination.enable" if enabled else "destination.disable"
        with self._context.change(action, "destination") as change:
            row = fetch(change.session, Destination, destination_id, "destination_id")
            row.enabled = enabled
            return change.result(touch(row), self._record)


def plain_settings(row: Destination, box: SecretBox) -> dict[str, Any]:
    """All settings of `row` in plaintext: the stored values plus the decrypted secrets."""
    return {**row.settings, **box.decrypt_json(row.secret_settings)}


def destination_record(row: Destination, box: SecretBox) -> DestinationRecord:
    secret_keys = frozenset(row.secret_keys)
    return DestinationRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        type=row.type,
        enabled=row.enabled,
        settings=mask_settings(plain_settings(row, box), secret_keys),
        secret_keys=secret_keys,
        source_ids=tuple(link.source_id for link in row.connections),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _store_settings(
    row: Destination, values: dict[str, Any], secret_keys: frozenset[str], box: SecretBox
) -> None:
    plain, secret = split_settings(values, secret_keys)
    row.settings = plain
    row.secret_keys = sorted(secret_keys)
    row.secret_settings = box.encrypt_json(secret)


def _connect(change: Change, row: Destination, source_id: str, now: Any) -> None:
    check_id(source_id, "source_id")
    source = fetch(change.session, Source, source_id, "source_id")
    if source.workspace_id != row.workspace_id:
        raise ValidationError("source_id", "the source and the destination must be in the same workspace")
    if any(link.source_id == source_id for link in row.connections):
        raise ConflictError("source_id", f"source {source_id!r} is already connected to this destination")
    row.connections.append(Connection(source_id=source_id, created_at=now))
