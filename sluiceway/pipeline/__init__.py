"""The router: everything between a queued event and its planned deliveries. No I/O."""

from __future__ import annotations

from .planned import (
    DELIVERIES_STREAM,
    EVENTS_STREAM,
    PlannedDelivery,
    deliveries_subject,
    delivery_consumer_name,
    events_subject,
)
from .reasons import (
    DUPLICATE_MESSAGE_ID,
    FILTERED_BY_INTEGRATIONS_OBJECT,
    FILTERED_BY_RULES,
    INVALID_SETTINGS,
    NO_MATCHING_MAPPING,
    UNKNOWN_INTEGRATION,
)
from .router import EventFacts, Routed, enriched, route, route_events, route_to_destination
from .table import (
    CompiledDestination,
    CompiledMapping,
    RoutingTable,
    compile_destination,
    compile_mapping,
)

__all__ = [
    "DELIVERIES_STREAM",
    "DUPLICATE_MESSAGE_ID",
    "EVENTS_STREAM",
    "FILTERED_BY_INTEGRATIONS_OBJECT",
    "FILTERED_BY_RULES",
    "INVALID_SETTINGS",
    "NO_MATCHING_MAPPING",
    "UNKNOWN_INTEGRATION",
    "CompiledDestination",
    "CompiledMapping",
    "EventFacts",
    "PlannedDelivery",
    "Routed",
    "RoutingTable",
    "compile_destination",
    "compile_mapping",
    "deliveries_subject",
    "delivery_consumer_name",
    "enriched",
    "events_subject",
    "route",
    "route_events",
    "route_to_destination",
]
