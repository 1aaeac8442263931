"""The router against a real configuration store: integrations, filters, mappings in order."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from sluiceway import kit, pipeline
from sluiceway.metrics import Step
from sluiceway.store import ConfigStore, SecretBox

HOOK = "https://hooks.example.com/in"
RECEIVED_AT = 1_700_000_000.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConfigStore]:
    with ConfigStore.open(directory=tmp_path, box=SecretBox([Fernet.generate_key()])) as opened:
        yield opened


@pytest.fixture
def setup(store: ConfigStore) -> dict[str, Any]:
    workspace = store.workspaces.ensure_default()
    source = store.sources.create(workspace.id, "Website")
    destination = store.destinations.create(
        workspace.id, "Orders hook", "actions-webhook", source_ids=[source.id]
    )
    return {"store": store, "source": source, "destination": destination, "workspace": workspace}


def _mapping(store: ConfigStore, destination_id: str, name: str, subscribe: str, **fields: Any) -> str:
    body = {"url": HOOK, "method": "POST", "data": {"@path": "$.properties"}, **fields}
    record = store.mappings.create(destination_id, name, subscribe, "send", body, enabled=True)
    return record.id


def _route(store: ConfigStore, source_id: str, event: dict[str, Any]) -> pipeline.Routed:
    table = pipeline.RoutingTable.build(store.snapshot(), kit.catalog())
    return pipeline.route(table, event, source_id, RECEIVED_AT)


def _event(**overrides: Any) -> dict[str, Any]:
    event = {
        "type": "track",
        "event": "Order Completed",
        "messageId": "m-1",
        "userId": "u-1",
        "properties": {"revenue": 12.5, "sku": "A-1"},
    }
    event.update(overrides)
    return event


def _reasons(routed: pipeline.Routed) -> list[tuple[str, str | None]]:
    return [(o.step.value, o.reason) for o in routed.outcomes if o.step is not Step.ROUTED]


def test_each_matching_mapping_plans_one_delivery_in_display_order(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    first = _mapping(store, dest.id, "Orders", 'event = "Order Completed"')
    second = _mapping(store, dest.id, "All tracks", 'type = "track"', data={"user": {"@path": "$.userId"}})
    _mapping(store, dest.id, "Identifies", 'type = "identify"')

    routed = _route(store, source.id, _event())

    assert [d.mapping_id for d in routed.deliveries] == [first, second]
    assert routed.deliveries[0].payload == {"url": HOOK, "method": "POST", "data": {"revenue": 12.5, "sku": "A-1"}}
    assert routed.deliveries[0].delivery_key != routed.deliveries[1].delivery_key
    assert _reasons(routed) == [("planned", None), ("planned", None)]


def test_an_event_no_trigger_matches_is_discarded_as_no_matching_mapping(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Identifies", 'type = "identify"')

    routed = _route(store, source.id, _event())

    assert routed.deliveries == []
    assert _reasons(routed) == [("filtered_at_destination", "NO_MATCHING_MAPPING")]


def test_a_disabled_mapping_does_not_run(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    mapping_id = _mapping(store, dest.id, "Orders", 'type = "track"')
    store.mappings.disable(mapping_id)

    assert _reasons(_route(store, source.id, _event())) == [("filtered_at_destination", "NO_MATCHING_MAPPING")]


@pytest.mark.parametrize(
    ("integrations", "delivered"),
    [
        ({"All": False}, False),
        ({"All": False, "Webhook": True}, True),
        ({"Webhook": False}, False),
        ({"Orders hook": False}, False),
        ({"All": True, "Mixpanel": False}, True),
    ],
)
def test_the_integrations_object_can_turn_the_destination_off(
    setup: dict[str, Any], integrations: dict[str, bool], delivered: bool
) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'type = "track"')

    routed = _route(store, source.id, _event(integrations=integrations))

    assert bool(routed.deliveries) is delivered
    if not delivered:
        assert _reasons(routed) == [("filtered_at_destination", "FILTERED_BY_INTEGRATIONS_OBJECT")]


def test_destination_filters_run_before_mappings_and_can_drop_properties(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'type = "track"')
    store.filters.create(
        dest.id,
        {
            "sourceId": source.id,
            "title": "No SKUs",
            "if": "all",
            "actions": [{"type": "DROP_PROPERTIES", "fields": {"properties": ["sku"]}}],
            "enabled": True,
        },
    )
    store.filters.create(
        dest.id,
        {"sourceId": source.id, "title": "No tests", "if": "userId = 'test'", "actions": [{"type": "DROP"}], "enabled": True},
    )

    kept = _route(store, source.id, _event())
    dropped = _route(store, source.id, _event(userId="test"))

    assert kept.deliveries[0].payload["data"] == {"revenue": 12.5}
    assert dropped.deliveries == []
    assert _reasons(dropped) == [("filtered_at_destination", "FILTERED_BY_RULES")]


def test_a_payload_that_fails_field_validation_is_reported_not_planned(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'type = "track"', url={"@path": "$.properties.nowhere"})

    routed = _route(store, source.id, _event())

    assert routed.deliveries == []
    (failed,) = [o for o in routed.outcomes if o.step is Step.FAILED_DELIVERY]
    assert (failed.reason, "url" in (failed.detail or "")) == ("PAYLOAD_VALIDATION_FAILED", True)


def test_an_unknown_destination_type_accounts_for_every_event(setup: dict[str, Any]) -> None:
    store, source, workspace = setup["store"], setup["source"], setup["workspace"]
    store.destinations.create(workspace.id, "Gone", "actions-uninstalled", source_ids=[source.id])

    routed = _route(store, source.id, _event())

    assert ("filtered_at_destination", "UNKNOWN_INTEGRATION") in _reasons(routed)


def test_a_disabled_source_or_destination_routes_nowhere(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'type = "track"')
    store.destinations.disable(dest.id)
    assert _route(store, source.id, _event()).outcomes == []

    store.destinations.enable(dest.id)
    store.sources.disable(source.id)
    assert _route(store, source.id, _event()).outcomes == []


def test_enrichment_rows_are_available_under_enrichments(setup: dict[str, Any]) -> None:
    store, source, dest, workspace = setup["store"], setup["source"], setup["destination"], setup["workspace"]
    model = store.enrichments.create(
        workspace.id,
        "products",
        key_path="properties.sku",
        key_column="sku",
        rows=[{"sku": "A-1", "title": "Anvil", "price": 12.5}],
    )
    record = store.mappings.create(
        dest.id,
        "Orders",
        'type = "track"',
        "send",
        {"url": HOOK, "method": "POST", "data": {"title": {"@path": "$.enrichments.products.title"}}},
        enabled=True,
        enrichment_ids=[model.id],
    )

    found = _route(store, source.id, _event())
    missing = _route(store, source.id, _event(properties={"sku": "Z-9"}))

    assert found.deliveries[0].payload["data"] == {"title": "Anvil"}
    assert found.deliveries[0].mapping_id == record.id
    assert missing.deliveries[0].payload.get("data") == {}


def test_planned_deliveries_survive_the_queue_as_json(setup: dict[str, Any]) -> None:
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'type = "track"')
    (planned,) = _route(store, source.id, _event()).deliveries

    assert pipeline.PlannedDelivery.from_json(planned.to_json()) == planned
    assert (planned.event_type, planned.event_name, planned.received_at) == ("track", "Order Completed", RECEIVED_AT)


def test_json_names_every_field_in_order() -> None:
    """`to_json` and `from_json` spell the fields out by hand; they must still be exactly the fields."""
    values = {field.name: f"value of {field.name}" for field in dataclasses.fields(pipeline.PlannedDelivery)}
    planned = pipeline.PlannedDelivery(**values)

    assert list(planned.to_json().items()) == list(values.items())
    assert pipeline.PlannedDelivery.from_json({**values, "replayed_at": 1.0}) == planned


def test_routing_into_one_result_appends_each_events_own_result_in_order(setup: dict[str, Any]) -> None:
    """The router worker routes a batch `into` one Routed: the same deliveries and
    outcomes, in the same order, as routing each event alone and joining them."""
    store, source, dest = setup["store"], setup["source"], setup["destination"]
    _mapping(store, dest.id, "Orders", 'event = "Order Completed"')
    table = pipeline.RoutingTable.build(store.snapshot(), kit.catalog())
    events = [_event(messageId="m-1"), _event(event="Other", messageId="m-2"), _event(messageId="m-3")]

    alone = [pipeline.route(table, event, source.id, RECEIVED_AT) for event in events]
    together = pipeline.Routed()
    for event in events:
        assert pipeline.route(table, event, source.id, RECEIVED_AT, into=together) is together

    assert together.deliveries == [d for one in alone for d in one.deliveries]
    assert together.outcomes == [o for one in alone for o in one.outcomes]
    assert [d.message_id for d in together.deliveries] == ["m-1", "m-3"]
    assert pipeline.route_events(table, [(e, source.id, RECEIVED_AT) for e in events]) == together
