"""The router: one event in, planned deliveries and Delivery Overview outcomes out.

Per destination connected to the event's source, in Segment's order:
integrations object -> destination filters -> each enabled mapping in its displayed
order: trigger -> mapping -> field validation -> a planned delivery. Every matching
mapping plans its own delivery; an event no mapping wants is discarded as
NO_MATCHING_MAPPING. Pure: the caller publishes the deliveries and records outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sluiceway import spec
from sluiceway.kit import IntegrationError
from sluiceway.metrics import Outcome, Step

from .planned import PlannedDelivery
from .reasons import FILTERED_BY_INTEGRATIONS_OBJECT, NO_MATCHING_MAPPING
from .table import CompiledDestination, CompiledMapping, RoutingTable


@dataclass(slots=True)
class Routed:
    """What routing one event produced."""

    deliveries: list[PlannedDelivery] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass(slots=True)
class EventFacts:
    """The facts about an event that every outcome repeats.

    Read-only by convention, not frozen: a frozen dataclass costs a call per field
    to make, and the router makes one per event.
    """

    data: dict[str, Any]
    source_id: str
    received_at: float
    message_id: str
    type: str | None
    name: str | None

    @classmethod
    def of(cls, event: dict[str, Any], source_id: str, received_at: float) -> EventFacts:
        kind = event.get("type")
        name = event.get("event") if kind == "track" else event.get("name")
        return cls(
            event,
            source_id,
            received_at,
            str(event.get("messageId", "")),
            kind if isinstance(kind, str) else None,
            name if isinstance(name, str) else None,
        )

    def outcome(
        self,
        step: Step,
        destination_id: str,
        *,
        mapping_id: str | None = None,
        reason: str | None = None,
        detail: str | None = None,
        sample: Any = None,
    ) -> Outcome:
        # Positional, in Outcome's field order: keywords cost twice as much, and the
        # router makes two or more outcomes per event.
        return Outcome(
            step, self.received_at, self.source_id, destination_id, mapping_id, reason,
            self.message_id, self.type, self.name, detail, sample,
        )


def route(
    table: RoutingTable,
    event: dict[str, Any],
    source_id: str,
    received_at: float,
    *,
    into: Routed | None = None,
) -> Routed:
    """Plan the deliveries of one normalised event from `source_id`.

    With `into`, they are appended there (and it is returned): a batch fills one
    Routed instead of making and copying one per event.
    """
    facts = EventFacts.of(event, source_id, received_at)
    routed = Routed() if into is None else into
    for destination in table.destinations_for(source_id):
        route_to_destination(destination, facts, routed)
    return routed


def route_to_destination(
    destination: CompiledDestination,
    facts: EventFacts,
    routed: Routed,
    *,
    apply_filters: bool = True,
) -> None:
    """Run one destination's steps for one event, appending to `routed`."""
    dest_id = destination.route.id
    event = facts.data
    routed.outcomes.append(facts.outcome(Step.ROUTED, dest_id, sample=event))
    if destination.broken is not None:
        reason, detail = destination.broken
        routed.outcomes.append(_filtered(facts, dest_id, reason, detail))
        return
    if not _integrations_allow(destination, event):
        detail = "the event's integrations object turns this destination off"
        routed.outcomes.append(_filtered(facts, dest_id, FILTERED_BY_INTEGRATIONS_OBJECT, detail))
        return
    if apply_filters and len(destination.filters):
        verdict = destination.filters.evaluate(event)
        if verdict.event is None:
            routed.outcomes.append(_filtered(facts, dest_id, verdict.reason, verdict.message))
            return
        event = verdict.event
    matched = False
    for compiled in destination.mappings:
        if not compiled.matches(event):
            continue
        matched = True
        _plan(destination, compiled, facts, event, routed)
    if not matched:
        detail = "no enabled mapping's trigger matches this event"
        routed.outcomes.append(_filtered(facts, dest_id, NO_MATCHING_MAPPING, detail))


def _plan(
    destination: CompiledDestination,
    compiled: CompiledMapping,
    facts: EventFacts,
    event: dict[str, Any],
    routed: Routed,
) -> None:
    dest_id = destination.route.id
    mapping_id = compiled.route.id
    try:
        if compiled.build is None:
            raise compiled.broken or IntegrationError("mapping unavailable", "MISCONFIGURED_FIELD", 400)
        payload = compiled.build(enriched(event, compiled))
    except IntegrationError as exc:
        routed.outcomes.append(
            facts.outcome(
                Step.FAILED_DELIVERY,
                dest_id,
                mapping_id=mapping_id,
                reason=exc.code,
                detail=exc.message,
                sample={"event": event},
            )
        )
        return
    # Positional, in PlannedDelivery's field order: keywords cost twice as much per event.
    routed.deliveries.append(
        PlannedDelivery(
            dest_id,  # destination_id
            destination.route.type,  # destination_type
            mapping_id,
            compiled.route.action,  # action
            payload,
            facts.source_id,
            facts.message_id,
            spec.delivery_key(facts.message_id, mapping_id),  # delivery_key
            facts.type,  # event_type
            facts.name,  # event_name
            facts.received_at,
        )
    )
    routed.outcomes.append(
        facts.outcome(Step.PLANNED, dest_id, mapping_id=mapping_id, sample={"payload": payload})
    )


def _filtered(facts: EventFacts, destination_id: str, reason: str | None, detail: str | None) -> Outcome:
    return facts.outcome(
        Step.FILTERED_AT_DESTINATION, destination_id, reason=reason, detail=detail, sample=facts.data
    )


def _integrations_allow(destination: CompiledDestination, event: Mapping[str, Any]) -> bool:
    """The integrations object may name this instance (id or name) or its catalog entry."""
    integrations = event.get("integrations")
    # Emptiness first: most events have none, and `isinstance(None, Mapping)` goes
    # through the ABC machinery on every event.
    if not integrations or not isinstance(integrations, Mapping):
        return True
    route = destination.route
    name = route.name if route.name in integrations else destination.catalog_name or route.type
    return spec.destination_enabled(integrations, name, route.id)


def enriched(event: dict[str, Any], compiled: CompiledMapping) -> dict[str, Any]:
    """The event with `enrichments.<model>` set to the looked-up row (absent when none)."""
    if not compiled.enrichments:
        return event
    found = {}
    for model in compiled.enrichments:
        row = model.lookup(_lookup_path(event, model.key_path))
        if row is not None:
            found[model.name] = row
    return {**event, "enrichments": found}


def _lookup_path(event: Mapping[str, Any], dotted: str) -> Any:
    value: Any = event
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def route_events(
    table: RoutingTable, events: Iterable[tuple[dict[str, Any], str, float]]
) -> Routed:
    """Route many (event, source id, received_at) at once into one result."""
    total = Routed()
    for event, source_id, received_at in events:
        route(table, event, source_id, received_at, into=total)
    return total
