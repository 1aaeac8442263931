"""Destination filters, stored in the shape of Segment's Public API.

Create takes `{sourceId, if, actions, title?, description?, enabled}`; update takes
any of `{if, actions, title, description, enabled}` (`description` may be null). Each
filter belongs to one source-destination pair; a destination holds at most 10. The
filter itself is checked by `sluiceway.filters`, the engine that will apply it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from .. import filters
from ._context import Change, StoreContext, fetch, touch, utc_now
from ._ids import new_id
from ._rules import check_id
from .errors import ValidationError
from .models import Destination, DestinationFilter
from .records import FilterRecord, json_view

CREATE_FIELDS = ("sourceId", "if", "actions", "title", "description", "enabled")
UPDATE_FIELDS = ("if", "actions", "title", "description", "enabled")
_REQUIRED_ON_CREATE = ("if", "actions", "enabled")


class FilterService:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    def create(self, destination_id: str, body: Mapping[str, Any]) -> FilterRecord:
        """A new filter on `destination_id` from a Public API create body."""
        _check_fields(body, CREATE_FIELDS)
        for key in _REQUIRED_ON_CREATE:
            if key not in body:
                raise ValidationError(key, "is required")
        _validate({key: value for key, value in body.items() if key != "sourceId"})
        with self._context.change("filter.create", "filter") as change:
            session = change.session
            destination = fetch(session, Destination, destination_id, "destination_id")
            source_id = _pick_source(destination, body.get("sourceId"))
            self._check_room(change, destination_id)
            now = utc_now()
            row = DestinationFilter(
                id=new_id(),
                destination_id=destination_id,
                source_id=source_id,
                condition=body["if"],
                actions=[dict(action) for action in body["actions"]],
                title=body.get("title"),
                description=body.get("description"),
                enabled=body["enabled"],
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            return change.result(row, filter_record)

    def get(self, filter_id: str) -> FilterRecord:
        with self._context.read() as session:
            return filter_record(fetch(session, DestinationFilter, filter_id, "filter_id"))

    def list(self, destination_id: str, *, source_id: str | None = None) -> list[FilterRecord]:
        """The destination's filters, oldest first (their order does not change results)."""
        with self._context.read() as session:
            fetch(session, Destination, destination_id, "destination_id")
            query = (
                select(DestinationFilter)
                .where(DestinationFilter.destination_id == destination_id)
                .order_by(DestinationFilter.created_at, DestinationFilter.id)
            )
            if source_id is not None:
                query = query.where(DestinationFilter.source_id == source_id)
            return [filter_record(row) for row in session.scalars(query)]

    def update(self, filter_id: str, patch: Mapping[str, Any]) -> FilterRecord:
        """Change any of `if`, `actions`, `title`, `description` (null clears), `enabled`."""
        _check_fields(patch, UPDATE_FIELDS)
        with self._context.change("filter.update", "filter") as change:
            row = fetch(change.session, DestinationFilter, filter_id, "filter_id")
            merged = {**_public_fields(row), **patch}
            _validate(merged)
            row.condition = merged["if"]
            row.actions = [dict(action) for action in merged["actions"]]
            row.title = merged.get("title")
            row.description = merged.get("description")
            row.enabled = merged["enabled"]
            return change.result(touch(row), filter_record)

    def delete(self, filter_id: str) -> None:
        with self._context.change("filter.delete", "filter") as change:
            row = fetch(change.session, DestinationFilter, filter_id, "filter_id")
            change.describe(row.id, json_view(filter_record(row)))
            change.session.delete(row)

    def _check_room(self, change: Change, destination_id: str) -> None:
        count = change.session.scalar(
            select(func.count())
            .select_from(DestinationFilter)
            .where(DestinationFilter.destination_id == destination_id)
        ) or 0
        limit = self._context.limits.filters_per_destination
        if count >= limit:
            raise ValidationError(
                "filters",
                f"a destination can have at most {limit} filters and this one has {count}; "
                "delete one before adding another",
            )


def filter_record(row: DestinationFilter) -> FilterRecord:
    return FilterRecord(
        id=row.id,
        destination_id=row.destination_id,
        source_id=row.source_id,
        condition=row.condition,
        actions=[dict(action) for action in row.actions],
        title=row.title,
        description=row.description,
        enabled=row.enabled,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check_fields(body: Any, allowed: tuple[str, ...]) -> None:
    if not isinstance(body, Mapping):
        raise ValidationError("", "a filter must be an object")
    for key in body:
        if key not in allowed:
            raise ValidationError(str(key), f"cannot be set here; the fields are {', '.join(allowed)}")


def _validate(body: dict[str, Any]) -> None:
    if body.get("description") is None:
        body = {key: value for key, value in body.items() if key != "description"}
    try:
        filters.validate_filter(body)
    except filters.FilterError as error:
        raise ValidationError(error.field, error.rule) from None
    if not isinstance(body.get("enabled"), bool):
        raise ValidationError("enabled", "is required and must be true or false")


def _pick_source(destination: Destination, source_id: Any) -> str:
    """The filter's source: as given, or the destination's only connected source."""
    connected = [link.source_id for link in destination.connections]
    if source_id is None:
        if len(connected) != 1:
            raise ValidationError(
                "sourceId",
                f"is required: the destination has {len(connected)} connected sources",
            )
        return connected[0]
    check_id(source_id, "sourceId")
    if source_id not in connected:
        raise ValidationError("sourceId", f"source {source_id!r} is not connected to this destination")
    return source_id


def _public_fields(row: DestinationFilter) -> dict[str, Any]:
    fields: dict[str, Any] = {"if": row.condition, "actions": row.actions, "enabled": row.enabled}
    if row.title is not None:
        fields["title"] = row.title
    fields["description"] = row.description
    return fields
