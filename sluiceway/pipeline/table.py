"""The routing table: one configuration snapshot compiled for the router.

Compiling happens once per configuration version (the store bumps it on every change),
so per event the router only calls predicates and builders. A destination or mapping
that cannot be compiled (unknown type, invalid settings, a mapping-kit error) is kept
with the reason, so every event it would have handled is accounted for in Delivery
Overview instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sluiceway import filters, triggers
from sluiceway.kit import Destination, IntegrationError
from sluiceway.store import DestinationRoute, EnrichmentRoute, MappingRoute, RoutingSnapshot

from .reasons import INVALID_SETTINGS, UNKNOWN_INTEGRATION


def _never(_event: Any) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class CompiledMapping:
    """A mapping ready to run: its trigger predicate and its payload builder.

    `build` raises the kit's errors (PAYLOAD_VALIDATION_FAILED, MISCONFIGURED_FIELD);
    `broken` holds the error when the mapping itself could not be compiled.
    """

    route: MappingRoute
    matches: Callable[[Any], bool]
    build: Callable[[Any], dict[str, Any]] | None
    broken: IntegrationError | None
    enrichments: tuple[EnrichmentRoute, ...]


@dataclass(frozen=True, slots=True)
class CompiledDestination:
    """A destination as one source sees it: filters and mappings, compiled."""

    route: DestinationRoute
    destination: Destination | None
    filters: filters.FilterSet
    mappings: tuple[CompiledMapping, ...]
    broken: tuple[str, str] | None  # (reason, detail) when no event can be delivered

    @property
    def catalog_name(self) -> str | None:
        return self.destination.name if self.destination is not None else None


def compile_mapping(route: MappingRoute, destination: Destination | None) -> CompiledMapping:
    """Compile one mapping's trigger and field mapping for `destination`'s action."""
    try:
        matches = triggers.compile(route.subscribe)
    except triggers.TriggerError:
        # The store refuses invalid triggers; one that slipped in matches nothing.
        matches = _never
    build = None
    broken = None
    if destination is not None:
        try:
            build = destination.action(route.action).compile_mapping(route.mapping)
        except IntegrationError as exc:
            broken = exc
        except KeyError:
            broken = IntegrationError(f"Unknown action {route.action!r}", "MISCONFIGURED_FIELD", 400)
    return CompiledMapping(route, matches, build, broken, route.enrichments)


def compile_destination(
    route: DestinationRoute,
    catalog: Mapping[str, Destination],
    *,
    mappings: tuple[MappingRoute, ...] | None = None,
) -> CompiledDestination:
    """Compile a destination's filters and mappings (`mappings` overrides the route's)."""
    destination = catalog.get(route.type)
    broken: tuple[str, str] | None = None
    if destination is None:
        broken = (UNKNOWN_INTEGRATION, f"no destination type {route.type!r} is installed")
    else:
        try:
            destination.validate_settings(route.settings)
        except IntegrationError as exc:
            broken = (INVALID_SETTINGS, exc.message)
    compiled = tuple(
        compile_mapping(item, destination) for item in (route.mappings if mappings is None else mappings)
    )
    return CompiledDestination(route, destination, _filter_set(route), compiled, broken)


def _filter_set(route: DestinationRoute) -> filters.FilterSet:
    # Broken filters are compiled as fail-closed drops by FilterSet itself.
    return filters.FilterSet(route.filters)


@dataclass(frozen=True, slots=True)
class RoutingTable:
    """Every enabled source's destinations, compiled, at one configuration version."""

    version: int
    by_source: Mapping[str, tuple[CompiledDestination, ...]]

    @classmethod
    def build(cls, snapshot: RoutingSnapshot, catalog: Mapping[str, Destination]) -> RoutingTable:
        by_source = {
            source.id: tuple(compile_destination(route, catalog) for route in source.destinations)
            for source in snapshot.sources
            if source.enabled
        }
        return cls(snapshot.version, by_source)

    def destinations_for(self, source_id: str) -> tuple[CompiledDestination, ...]:
        return self.by_source.get(source_id, ())
