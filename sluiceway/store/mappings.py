"""Mappings: a destination's ordered list of trigger + action + field mapping.

The rules come from Segment's documentation: a new mapping is disabled until someone
enables it; a duplicate is named "<name> (Copy)" and disabled; deleting cannot be
undone; a destination holds at most 50 mappings (configurable). Mappings run in their
displayed order, kept here as dense positions 0..n-1 that every change preserves.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ._content import check_mapping, check_subscribe
from ._context import StoreContext, fetch, touch, utc_now
from ._ids import new_id
from ._rules import NAME_MAX_LENGTH, check_bool, check_id, check_key, check_name
from .errors import ValidationError
from .models import Destination, EnrichmentModel, Mapping, MappingEnrichment
from .records import MappingRecord, json_view

COPY_SUFFIX = " (Copy)"


class MappingService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(
        self,
        destination_id: str,
        name: str,
        subscribe: str,
        action: str,
        mapping: dict[str, Any],
        *,
        enabled: bool = False,
        enrichment_ids: Sequence[str] = (),
    ) -> MappingRecord:
        """A new mapping at the end of the list; disabled unless `enabled=True`."""
        name = check_name(name)
        subscribe = check_subscribe(subscribe)
        check_key(action, "action")
        fields = check_mapping(mapping)
        check_bool(enabled, "enabled")
        with self._context.change("mapping.create", "mapping") as change:
            session = change.session
            destination = fetch(session, Destination, destination_id, "destination_id")
            position = self._check_room(session, destination_id)
            now = utc_now()
            row = Mapping(
                id=new_id(),
                destination_id=destination_id,
                name=name,
                subscribe=subscribe,
                action=action,
                mapping=fields,
                enabled=enabled,
                position=position,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            _set_enrichments(session, row, destination, enrichment_ids)
            return change.result(row, mapping_record)

    def get(self, mapping_id: str) -> MappingRecord:
        with self._context.read() as session:
            return mapping_record(fetch(session, Mapping, mapping_id, "mapping_id"))

    def list(self, destination_id: str) -> list[MappingRecord]:
        """The destination's mappings in the order they run."""
        with self._context.read() as session:
            fetch(session, Destination, destination_id, "destination_id")
            return [mapping_record(row) for row in _ordered(session, destination_id)]

    def update(
        self,
        mapping_id: str,
        *,
        name: str | None = None,
        subscribe: str | None = None,
        action: str | None = None,
        mapping: dict[str, Any] | None = None,
        enabled: bool | None = None,
        enrichment_ids: Sequence[str] | None = None,
    ) -> MappingRecord:
        """Edit any of the mapping's parts; those left as None stay as they are."""
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = check_name(name)
        if subscribe is not None:
            changes["subscribe"] = check_subscribe(subscribe)
        if action is not None:
            changes["action"] = check_key(action, "action")
        if mapping is not None:
            changes["mapping"] = check_mapping(mapping)
        if enabled is not None:
            changes["enabled"] = check_bool(enabled, "enabled")
        return self._edit(mapping_id, "mapping.update", changes, enrichment_ids)

    def rename(self, mapping_id: str, name: str) -> MappingRecord:
        return self._edit(mapping_id, "mapping.rename", {"name": check_name(name)})

    def enable(self, mapping_id: str) -> MappingRecord:
        return self._edit(mapping_id, "mapping.enable", {"enabled": True})

    def disable(self, mapping_id: str) -> MappingRecord:
        """Stop the mapping without deleting it; it keeps its place in the order."""
        return self._edit(mapping_id, "mapping.disable", {"enabled": False})

    def delete(self, mapping_id: str) -> None:
        """Remove the mapping for good; the ones after it move up one place."""
        with self._context.change("mapping.delete", "mapping") as change:
            session = change.session
            row = fetch(session, Mapping, mapping_id, "mapping_id")
            change.describe(row.id, json_view(mapping_record(row)))
            destination_id = row.destination_id
            session.delete(row)
            session.flush()
            _renumber(_ordered(session, destination_id))

    def duplicate(self, mapping_id: str) -> MappingRecord:
        """An exact copy named "<name> (Copy)", disabled, placed right after the original."""
        with self._context.change("mapping.duplicate", "mapping") as change:
            session = change.session
            original = fetch(session, Mapping, mapping_id, "mapping_id")
            destination = fetch(session, Destination, original.destination_id, "destination_id")
            self._check_room(session, destination.id)
            now = utc_now()
            duplicate = Mapping(
                id=new_id(),
                destination_id=destination.id,
                name=copy_name(original.name),
                subscribe=original.subscribe,
                action=original.action,
                mapping=copy.deepcopy(original.mapping),
                enabled=False,
                position=original.position,
                created_at=now,
                updated_at=now,
            )
            duplicate.enrichments = [
                MappingEnrichment(enrichment_id=link.enrichment_id, position=link.position)
                for link in original.enrichments
            ]
            rows = _ordered(session, destination.id)
            rows.insert(rows.index(original) + 1, duplicate)
            session.add(duplicate)
            _renumber(rows)
            return change.result(duplicate, mapping_record)

    def move(self, mapping_id: str, position: int) -> MappingRecord:
        """Put the mapping at `position` (0 is first); the others keep their order."""
        if isinstance(position, bool) or not isinstance(position, int):
            raise ValidationError("position", f"must be a whole number, got {position!r}")
        return self._move(mapping_id, lambda _current, _last: position)

    def move_up(self, mapping_id: str) -> MappingRecord:
        """One place earlier; the first mapping stays first."""
        return self._move(mapping_id, lambda current, _last: max(current - 1, 0))

    def move_down(self, mapping_id: str) -> MappingRecord:
        """One place later; the last mapping stays last."""
        return self._move(mapping_id, lambda current, last: min(current + 1, last))

    def reorder(self, destination_id: str, mapping_ids: Sequence[str]) -> list[MappingRecord]:
        """Set the full order: `mapping_ids` must list each of the destination's mappings once."""
        if isinstance(mapping_ids, str) or not isinstance(mapping_ids, Sequence):
            raise ValidationError("mapping_ids", "must be a list of mapping ids")
        with self._context.change("mapping.reorder", "destination") as change:
            session = change.session
            fetch(session, Destination, destination_id, "destination_id")
            rows = _ordered(session, destination_id)
            _check_permutation([row.id for row in rows], list(mapping_ids))
            by_id = {row.id: row for row in rows}
            _renumber([by_id[mapping_id] for mapping_id in mapping_ids])
            change.describe(destination_id, {"order": list(mapping_ids)})
            return [mapping_record(by_id[mapping_id]) for mapping_id in mapping_ids]

    def _move(self, mapping_id: str, target: Callable[[int, int], int]) -> MappingRecord:
        """Move to `target(current position, last position)`, in one transaction."""
        with self._context.change("mapping.move", "mapping") as change:
            session = change.session
            row = fetch(session, Mapping, mapping_id, "mapping_id")
            rows = _ordered(session, row.destination_id)
            last = len(rows) - 1
            position = target(rows.index(row), last)
            if not 0 <= position <= last:
                raise ValidationError("position", f"must be from 0 to {last}, got {position}")
            rows.remove(row)
            rows.insert(position, row)
            _renumber(rows)
            return change.result(touch(row), mapping_record)

    def _edit(
        self,
        mapping_id: str,
        action: str,
        changes: dict[str, Any],
        enrichment_ids: Sequence[str] | None = None,
    ) -> MappingRecord:
        with self._context.change(action, "mapping") as change:
            session = change.session
            row = fetch(session, Mapping, mapping_id, "mapping_id")
            for key, value in changes.items():
                setattr(row, key, value)
            if enrichment_ids is not None:
                destination = fetch(session, Destination, row.destination_id, "destination_id")
                _set_enrichments(session, row, destination, enrichment_ids)
            return change.result(touch(row), mapping_record)

    def _check_room(self, session: Session, destination_id: str) -> int:
        """The number of mappings, after checking one more still fits the limit."""
        count = session.scalar(
            select(func.count()).select_from(Mapping).where(Mapping.destination_id == destination_id)
        ) or 0
        limit = self._context.limits.mappings_per_destination
        if count >= limit:
            raise ValidationError(
                "mappings",
                f"a destination can have at most {limit} mappings and this one has {count}; "
                "delete one before adding another",
            )
        return count


def copy_name(name: str) -> str:
    """"<name> (Copy)", shortening the original name if the result would be too long."""
    return name[: NAME_MAX_LENGTH - len(COPY_SUFFIX)] + COPY_SUFFIX


def mapping_record(row: Mapping) -> MappingRecord:
    return MappingRecord(
        id=row.id,
        destination_id=row.destination_id,
        name=row.name,
        subscribe=row.subscribe,
        action=row.action,
        mapping=row.mapping,
        enabled=row.enabled,
        position=row.position,
        enrichment_ids=tuple(link.enrichment_id for link in row.enrichments),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _ordered(session: Session, destination_id: str) -> list[Mapping]:
    query = (
        select(Mapping)
        .where(Mapping.destination_id == destination_id)
        .order_by(Mapping.position, Mapping.created_at, Mapping.id)
    )
    return list(session.scalars(query))


def _renumber(rows: list[Mapping]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position


def _set_enrichments(
    session: Session, row: Mapping, destination: Destination, enrichment_ids: Sequence[str]
) -> None:
    if isinstance(enrichment_ids, str) or not isinstance(enrichment_ids, Sequence):
        raise ValidationError("enrichment_ids", "must be a list of enrichment model ids")
    links: list[MappingEnrichment] = []
    for index, enrichment_id in enumerate(enrichment_ids):
        field = f"enrichment_ids[{index}]"
        check_id(enrichment_id, field)
        if enrichment_id in enrichment_ids[:index]:
            raise ValidationError(field, f"lists {enrichment_id!r} a second time")
        model = fetch(session, EnrichmentModel, enrichment_id, field)
        if model.workspace_id != destination.workspace_id:
            raise ValidationError(field, "the enrichment model must be in the destination's workspace")
        links.append(MappingEnrichment(enrichment_id=model.id, position=index))
    row.enrichments = links


def _check_permutation(current: list[str], wanted: list[Any]) -> None:
    missing = [mapping_id for mapping_id in current if mapping_id not in wanted]
    unknown = [mapping_id for mapping_id in wanted if mapping_id not in current]
    repeated = sorted({str(key) for key, count in Counter(map(str, wanted)).items() if count > 1})
    if missing or unknown or repeated:
        problems = [
            f"{label}: {', '.join(map(repr, ids))}"
            for label, ids in (("missing", missing), ("not of this destination", unknown), ("repeated", repeated))
            if ids
        ]
        raise ValidationError(
            "mapping_ids",
            f"must list each of the destination's {len(current)} mappings exactly once ({'; '.join(problems)})",
        )
