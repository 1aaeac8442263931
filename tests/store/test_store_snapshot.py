"""The routing snapshot: what the router compiles, at one version, read-only."""

from __future__ import annotations

import dataclasses

import pytest

from .store_samples import ORDER_FIELDS, TRACK_ORDERS

DROP = {"if": "all", "actions": [{"type": "DROP"}], "enabled": True}


def add(store, destination, name, *, enabled=True):
    return store.mappings.create(destination.id, name, TRACK_ORDERS, "post", ORDER_FIELDS, enabled=enabled)


def only_route(snapshot):
    (source,) = snapshot.sources
    (destination,) = source.destinations
    return destination


def test_the_snapshot_carries_its_version(store, destination):
    add(store, destination, "A")
    assert store.snapshot().version == store.current_version()


def test_only_enabled_mappings_are_routed_in_their_displayed_order(store, destination):
    a = add(store, destination, "A")
    add(store, destination, "B", enabled=False)
    c = add(store, destination, "C")
    store.mappings.move(c.id, 0)
    route = only_route(store.snapshot())
    assert [mapping.name for mapping in route.mappings] == ["C", "A"]
    assert route.mappings[1].id == a.id
    assert (route.mappings[0].subscribe, route.mappings[0].action, route.mappings[0].mapping) == (
        TRACK_ORDERS,
        "post",
        ORDER_FIELDS,
    )


def test_a_disabled_mapping_stops_being_routed(store, destination):
    created = add(store, destination, "A")
    store.mappings.disable(created.id)
    assert only_route(store.snapshot()).mappings == ()


def test_a_disabled_destination_is_not_routed(store, source, destination):
    store.destinations.disable(destination.id)
    (routed,) = store.snapshot().sources
    assert routed.id == source.id
    assert routed.destinations == ()


def test_a_disabled_source_routes_nowhere(store, source, destination):
    store.sources.disable(source.id)
    (routed,) = store.snapshot().sources
    assert routed.enabled is False
    assert routed.destinations == ()


def test_destinations_are_routed_only_from_connected_sources(store, workspace, source, destination):
    app = store.sources.create(workspace.id, "App")
    snapshot = store.snapshot()
    assert [route.id for route in snapshot.source_for_write_key(source.write_key).destinations] == [destination.id]
    assert snapshot.source_for_write_key(app.write_key).destinations == ()
    assert snapshot.source_for_write_key("unknown") is None


def test_filters_are_those_of_the_source_destination_pair_and_enabled(store, workspace, source, destination):
    app = store.sources.create(workspace.id, "App")
    store.destinations.connect(destination.id, app.id)
    web = store.filters.create(destination.id, {**DROP, "sourceId": source.id, "title": "web"})
    store.filters.create(destination.id, {**DROP, "sourceId": source.id, "enabled": False})
    store.filters.create(destination.id, {**DROP, "sourceId": app.id, "title": "app"})
    snapshot = store.snapshot()
    web_route = snapshot.source_for_write_key(source.write_key).destinations[0]
    app_route = snapshot.source_for_write_key(app.write_key).destinations[0]
    assert web_route.filters == (web.to_public_api(),)
    assert [item["title"] for item in app_route.filters] == ["app"]


def test_settings_are_decrypted_for_delivery(store, workspace, source):
    created = store.destinations.create(
        workspace.id,
        "Hook",
        "webhook",
        settings={"url": "https://example.test/hook", "token": "t0ken-secret"},
        secret_keys={"token"},
        source_ids=[source.id],
    )
    route = only_route(store.snapshot())
    assert route.id == created.id
    assert route.settings == {"url": "https://example.test/hook", "token": "t0ken-secret"}
    assert route.secret_keys == frozenset({"token"})


def test_the_snapshot_cannot_be_changed(store, destination):
    add(store, destination, "A")
    snapshot = store.snapshot()
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.version = 99
    with pytest.raises(dataclasses.FrozenInstanceError):
        only_route(snapshot).mappings[0].name = "B"
    with pytest.raises(TypeError):
        snapshot.by_write_key["x"] = snapshot.sources[0]
    assert isinstance(snapshot.sources, tuple)
    assert isinstance(only_route(snapshot).mappings, tuple)


def test_a_snapshot_does_not_move_with_later_changes(store, destination):
    created = add(store, destination, "A")
    before = store.snapshot()
    store.mappings.rename(created.id, "Renamed")
    store.mappings.update(created.id, mapping={"x": {"@path": "$.event"}})
    assert only_route(before).mappings[0].name == "A"
    assert only_route(before).mappings[0].mapping == ORDER_FIELDS
    assert only_route(store.snapshot()).mappings[0].name == "Renamed"


def test_the_key_order_of_a_field_mapping_is_kept(store, destination):
    fields = {"zeta": {"@path": "$.event"}, "alpha": {"@path": "$.userId"}, "mid": "static"}
    created = store.mappings.create(destination.id, "Ordered", TRACK_ORDERS, "post", fields, enabled=True)
    assert list(store.mappings.get(created.id).mapping) == ["zeta", "alpha", "mid"]
    assert list(only_route(store.snapshot()).mappings[0].mapping) == ["zeta", "alpha", "mid"]
