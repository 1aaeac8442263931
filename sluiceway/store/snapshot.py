"""The routing configuration at one version, fully loaded, for the router to compile.

    sources -> destinations connected to each (enabled only) -> their enabled mappings
    in run order -> the destination filters of that source-destination pair

Everything is read in one transaction (REPEATABLE READ on PostgreSQL), so a snapshot
never mixes two versions. The objects are frozen and the collections are tuples or
read-only mappings; the JSON documents inside (settings, field mappings, filters,
rows) are plain dicts because the engines expect dicts: they belong to this snapshot
alone, and nothing may change them. Settings are decrypted here, because delivery
needs them; they are kept out of every repr.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ._context import VERSION_ROW_ID
from .destination_filters import filter_record
from .destinations import plain_settings
from .encryption import SecretBox
from .models import ConfigVersion, Destination, DestinationFilter, EnrichmentModel, Source
from .models import Mapping as MappingRow


@dataclass(frozen=True, slots=True)
class EnrichmentRoute:
    """A lookup table: `lookup(value)` is the row whose key column equals `value`."""

    id: str
    name: str
    key_path: str
    key_column: str
    rows: Mapping[Any, dict[str, Any]] = field(repr=False)

    def lookup(self, value: Any) -> dict[str, Any] | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        return self.rows.get(value)


@dataclass(frozen=True, slots=True)
class MappingRoute:
    id: str
    name: str
    subscribe: str
    action: str
    mapping: dict[str, Any]
    position: int
    enrichments: tuple[EnrichmentRoute, ...]


@dataclass(frozen=True, slots=True)
class DestinationRoute:
    """An enabled destination as seen from one source: its filters are that pair's."""

    id: str
    workspace_id: str
    name: str
    type: str
    settings: dict[str, Any] = field(repr=False)
    secret_keys: frozenset[str]
    mappings: tuple[MappingRoute, ...]
    filters: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class SourceRoute:
    """A source; a disabled one routes nowhere (`destinations` is empty)."""

    id: str
    workspace_id: str
    name: str
    slug: str
    write_key: str = field(repr=False)
    enabled: bool
    destinations: tuple[DestinationRoute, ...]


@dataclass(frozen=True, slots=True)
class RoutingSnapshot:
    version: int
    sources: tuple[SourceRoute, ...]
    by_write_key: Mapping[str, SourceRoute] = field(repr=False)

    def source_for_write_key(self, write_key: str) -> SourceRoute | None:
        return self.by_write_key.get(write_key)


def load_snapshot(session: Session, box: SecretBox) -> RoutingSnapshot:
    """Read the whole routing configuration through `session` (one transaction)."""
    version = session.execute(
        select(ConfigVersion.version).where(ConfigVersion.id == VERSION_ROW_ID)
    ).scalar_one()
    enrichments = _enrichments(session)
    mappings = _mappings(session, enrichments)
    pair_filters = _filters(session)
    destinations = session.scalars(
        select(Destination)
        .where(Destination.enabled.is_(True))
        .options(selectinload(Destination.connections))
        .order_by(Destination.created_at, Destination.id)
    ).all()
    by_source: dict[str, list[DestinationRoute]] = defaultdict(list)
    for row in destinations:
        settings = plain_settings(row, box)
        for link in row.connections:
            by_source[link.source_id].append(
                DestinationRoute(
                    id=row.id,
                    workspace_id=row.workspace_id,
                    name=row.name,
                    type=row.type,
                    settings=settings,
                    secret_keys=frozenset(row.secret_keys),
                    mappings=mappings.get(row.id, ()),
                    filters=pair_filters.get((link.source_id, row.id), ()),
                )
            )
    sources = tuple(_source_route(row, by_source) for row in _sources(session))
    return RoutingSnapshot(
        version=int(version),
        sources=sources,
        by_write_key=MappingProxyType({source.write_key: source for source in sources}),
    )


def _sources(session: Session) -> Iterable[Source]:
    return session.scalars(select(Source).order_by(Source.created_at, Source.id))


def _source_route(row: Source, by_source: Mapping[str, list[DestinationRoute]]) -> SourceRoute:
    return SourceRoute(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        slug=row.slug,
        write_key=row.write_key,
        enabled=row.enabled,
        destinations=tuple(by_source.get(row.id, ())) if row.enabled else (),
    )


def _enrichments(session: Session) -> dict[str, EnrichmentRoute]:
    routes = {}
    for row in session.scalars(select(EnrichmentModel)):
        table = MappingProxyType({item[row.key_column]: item for item in row.rows})
        routes[row.id] = EnrichmentRoute(row.id, row.name, row.key_path, row.key_column, table)
    return routes


def _mappings(
    session: Session, enrichments: Mapping[str, EnrichmentRoute]
) -> dict[str, tuple[MappingRoute, ...]]:
    rows = session.scalars(
        select(MappingRow)
        .where(MappingRow.enabled.is_(True))
        .options(selectinload(MappingRow.enrichments))
        .order_by(MappingRow.destination_id, MappingRow.position, MappingRow.id)
    )
    grouped: dict[str, list[MappingRoute]] = defaultdict(list)
    for row in rows:
        grouped[row.destination_id].append(
            MappingRoute(
                id=row.id,
                name=row.name,
                subscribe=row.subscribe,
                action=row.action,
                mapping=row.mapping,
                position=row.position,
                enrichments=tuple(enrichments[link.enrichment_id] for link in row.enrichments),
            )
        )
    return {destination_id: tuple(routes) for destination_id, routes in grouped.items()}


def _filters(session: Session) -> dict[tuple[str, str], tuple[dict[str, Any], ...]]:
    rows = session.scalars(
        select(DestinationFilter)
        .where(DestinationFilter.enabled.is_(True))
        .order_by(DestinationFilter.created_at, DestinationFilter.id)
    )
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row.source_id, row.destination_id)].append(filter_record(row).to_public_api())
    return {pair: tuple(items) for pair, items in grouped.items()}
