"""Routing objects built straight from the store, for testers that bypass the snapshot.

The event tester and the mapping tester must work on disabled destinations and
unsaved mappings, which the routing snapshot leaves out by design.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from sluiceway.store import (
    ConfigStore,
    DestinationRoute,
    EnrichmentRoute,
    MappingRecord,
    MappingRoute,
)


def enrichment_routes(store: ConfigStore, ids: Iterable[str]) -> tuple[EnrichmentRoute, ...]:
    routes = []
    for enrichment_id in ids:
        record = store.enrichments.get(enrichment_id)
        table = MappingProxyType({row[record.key_column]: row for row in record.rows})
        routes.append(
            EnrichmentRoute(record.id, record.name, record.key_path, record.key_column, table)
        )
    return tuple(routes)


def mapping_route(store: ConfigStore, record: MappingRecord) -> MappingRoute:
    return MappingRoute(
        record.id,
        record.name,
        record.subscribe,
        record.action,
        record.mapping,
        record.position,
        enrichment_routes(store, record.enrichment_ids),
    )


def destination_route(
    store: ConfigStore,
    destination_id: str,
    *,
    mappings: tuple[MappingRoute, ...] | None = None,
    source_id: str | None = None,
    settings: dict[str, Any] | None = None,
) -> DestinationRoute:
    """The destination with its enabled mappings (or `mappings`) and its filters."""
    record = store.destinations.get(destination_id)
    if mappings is None:
        mappings = tuple(
            mapping_route(store, item)
            for item in store.mappings.list(destination_id)
            if item.enabled
        )
    filters = tuple(
        {**item.to_public_api()}
        for item in store.filters.list(destination_id, source_id=source_id)
        if item.enabled
    )
    return DestinationRoute(
        record.id,
        record.workspace_id,
        record.name,
        record.type,
        settings if settings is not None else store.destinations.reveal_settings(destination_id),
        record.secret_keys,
        mappings,
        filters,
    )
