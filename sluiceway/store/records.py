"""What the store hands out: frozen copies of rows, detached from any session.

Destination records carry masked settings only; the plaintext of a secret leaves the
store through `DestinationService.reveal_settings` and the routing snapshot, nowhere
else. Write keys are left out of reprs so a logged record never carries one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class WorkspaceRecord:
    id: str
    name: str
    slug: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SourceRecord:
    id: str
    workspace_id: str
    name: str
    slug: str
    write_key: str = field(repr=False)
    enabled: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DestinationRecord:
    """A destination instance; `settings` has every non-empty secret masked."""

    id: str
    workspace_id: str
    name: str
    type: str
    enabled: bool
    settings: dict[str, Any]
    secret_keys: frozenset[str]
    source_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class MappingRecord:
    """A mapping: trigger (`subscribe`), action and field mapping, in `position` order."""

    id: str
    destination_id: str
    name: str
    subscribe: str
    action: str
    mapping: dict[str, Any]
    enabled: bool
    position: int
    enrichment_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class FilterRecord:
    """A destination filter; `to_public_api()` gives Segment's Public API shape."""

    id: str
    destination_id: str
    source_id: str
    condition: str
    actions: list[dict[str, Any]]
    title: str | None
    description: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime

    def to_public_api(self) -> dict[str, Any]:
        """The filter as Segment's Public API returns it (camelCase, ISO times)."""
        shaped: dict[str, Any] = {
            "id": self.id,
            "sourceId": self.source_id,
            "destinationId": self.destination_id,
            "if": self.condition,
            "actions": [dict(action) for action in self.actions],
        }
        if self.title is not None:
            shaped["title"] = self.title
        if self.description is not None:
            shaped["description"] = self.description
        shaped["enabled"] = self.enabled
        shaped["createdAt"] = iso_timestamp(self.created_at)
        shaped["updatedAt"] = iso_timestamp(self.updated_at)
        return shaped


@dataclass(frozen=True, slots=True)
class EnrichmentRecord:
    """A lookup table: each row has `key_column`; events are matched on `key_path`."""

    id: str
    workspace_id: str
    name: str
    key_path: str
    key_column: str
    rows: list[dict[str, Any]] = field(repr=False)
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One configuration change: the version it made, who, what, when, and the result."""

    version: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]


def iso_timestamp(moment: datetime) -> str:
    """`moment` as ISO-8601 UTC with milliseconds and a `Z`, as Segment writes times."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_view(record: Any) -> dict[str, Any]:
    """A record as a JSON object, for the change log (enrichment rows are counted)."""
    view: dict[str, Any] = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name == "rows":
            view["row_count"] = len(value)
        elif item.name == "write_key":
            continue
        else:
            view[item.name] = _json_value(value)
    return view


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_timestamp(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value
