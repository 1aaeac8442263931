"""Destination filters in the Public API's shape: fields, limits, source pairs."""

from __future__ import annotations

import re

import pytest

from sluiceway.store import ConfigStore, Limits, NotFoundError, ValidationError

DROP_INTERNAL = {
    "if": "contains(context.page.url, 'staging.')",
    "actions": [{"type": "DROP"}],
    "title": "Drop internal traffic",
    "enabled": True,
}
ISO_MILLISECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_a_filter_is_returned_in_the_public_api_shape(store, destination, source):
    created = store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": source.id})
    shaped = created.to_public_api()
    assert list(shaped) == [
        "id",
        "sourceId",
        "destinationId",
        "if",
        "actions",
        "title",
        "enabled",
        "createdAt",
        "updatedAt",
    ]
    assert (shaped["sourceId"], shaped["destinationId"]) == (source.id, destination.id)
    assert (shaped["if"], shaped["actions"], shaped["title"], shaped["enabled"]) == (
        DROP_INTERNAL["if"],
        DROP_INTERNAL["actions"],
        DROP_INTERNAL["title"],
        True,
    )
    assert ISO_MILLISECONDS.fullmatch(shaped["createdAt"])
    assert ISO_MILLISECONDS.fullmatch(shaped["updatedAt"])


def test_a_description_appears_when_set(store, destination):
    created = store.filters.create(destination.id, {**DROP_INTERNAL, "description": "why"})
    assert created.to_public_api()["description"] == "why"


def test_the_source_defaults_to_the_only_connected_one(store, destination, source):
    assert store.filters.create(destination.id, DROP_INTERNAL).source_id == source.id


def test_the_source_is_required_when_several_are_connected(store, workspace, destination):
    app = store.sources.create(workspace.id, "App")
    store.destinations.connect(destination.id, app.id)
    with pytest.raises(ValidationError) as error:
        store.filters.create(destination.id, DROP_INTERNAL)
    assert error.value.field == "sourceId"
    assert store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": app.id}).source_id == app.id


def test_the_source_must_be_connected_to_the_destination(store, workspace, destination):
    app = store.sources.create(workspace.id, "App")
    with pytest.raises(ValidationError, match="not connected") as error:
        store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": app.id})
    assert error.value.field == "sourceId"


@pytest.mark.parametrize("missing", ["if", "actions", "enabled"])
def test_if_actions_and_enabled_are_required_on_create(store, destination, missing):
    body = {key: value for key, value in DROP_INTERNAL.items() if key != missing}
    with pytest.raises(ValidationError) as error:
        store.filters.create(destination.id, body)
    assert error.value.field == missing


def test_a_title_is_at_most_64_characters(store, destination):
    assert store.filters.create(destination.id, {**DROP_INTERNAL, "title": "t" * 64}).title == "t" * 64
    with pytest.raises(ValidationError) as error:
        store.filters.create(destination.id, {**DROP_INTERNAL, "title": "t" * 65})
    assert error.value.field == "title"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"actions": [{"type": "EXPLODE"}]}, "actions[0].type"),
        ({"actions": [{"type": "SAMPLE", "percent": 2}]}, "actions[0].percent"),
        ({"actions": []}, "actions"),
        ({"if": ""}, "if"),
        ({"enabled": "yes"}, "enabled"),
        ({"id": "mine"}, "id"),
        ({"createdAt": "2020-01-01T00:00:00.000Z"}, "createdAt"),
    ],
)
def test_a_malformed_filter_is_rejected_naming_the_field(store, destination, body, field):
    with pytest.raises(ValidationError) as error:
        store.filters.create(destination.id, {**DROP_INTERNAL, **body})
    assert error.value.field == field
    assert store.filters.list(destination.id) == []


def test_a_condition_that_is_not_fql_is_rejected(store, destination):
    with pytest.raises(ValidationError) as error:
        store.filters.create(destination.id, {**DROP_INTERNAL, "if": "properties.total ="})
    assert error.value.field == "if"


def test_ten_filters_per_destination(store, destination):
    assert store.limits.filters_per_destination == 10
    for number in range(10):
        store.filters.create(destination.id, {**DROP_INTERNAL, "title": f"F{number}"})
    with pytest.raises(ValidationError, match="at most 10 filters") as error:
        store.filters.create(destination.id, DROP_INTERNAL)
    assert error.value.field == "filters"


def test_the_filter_limit_is_configurable(engine, box, destination):
    small = ConfigStore(engine, box, limits=Limits(filters_per_destination=1))
    small.filters.create(destination.id, DROP_INTERNAL)
    with pytest.raises(ValidationError, match="at most 1 filters"):
        small.filters.create(destination.id, DROP_INTERNAL)


def test_update_changes_only_the_fields_sent(store, destination):
    created = store.filters.create(destination.id, {**DROP_INTERNAL, "description": "why"})
    updated = store.filters.update(created.id, {"enabled": False, "actions": [{"type": "SAMPLE", "percent": 0.5}]})
    assert (updated.enabled, updated.actions) == (False, [{"type": "SAMPLE", "percent": 0.5}])
    assert (updated.condition, updated.title, updated.description) == (
        DROP_INTERNAL["if"],
        DROP_INTERNAL["title"],
        "why",
    )
    assert updated.created_at == created.created_at
    assert updated.updated_at >= created.updated_at


def test_a_null_description_clears_it(store, destination):
    created = store.filters.create(destination.id, {**DROP_INTERNAL, "description": "why"})
    assert store.filters.update(created.id, {"description": None}).description is None


@pytest.mark.parametrize(("patch", "field"), [({"sourceId": "x"}, "sourceId"), ({"title": None}, "title")])
def test_update_refuses_what_the_public_api_does_not_allow(store, destination, patch, field):
    created = store.filters.create(destination.id, DROP_INTERNAL)
    with pytest.raises(ValidationError) as error:
        store.filters.update(created.id, patch)
    assert error.value.field == field


def test_filters_are_deleted(store, destination):
    created = store.filters.create(destination.id, DROP_INTERNAL)
    store.filters.delete(created.id)
    with pytest.raises(NotFoundError) as error:
        store.filters.get(created.id)
    assert error.value.field == "filter_id"


def test_filters_list_by_destination_and_source(store, workspace, destination, source):
    app = store.sources.create(workspace.id, "App")
    store.destinations.connect(destination.id, app.id)
    web = store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": source.id})
    mobile = store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": app.id})
    assert store.filters.list(destination.id) == [web, mobile]
    assert store.filters.list(destination.id, source_id=app.id) == [mobile]


def test_disconnecting_a_source_deletes_the_pairs_filters(store, workspace, destination, source):
    app = store.sources.create(workspace.id, "App")
    store.destinations.connect(destination.id, app.id)
    store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": source.id})
    kept = store.filters.create(destination.id, {**DROP_INTERNAL, "sourceId": app.id})
    store.destinations.disconnect(destination.id, source.id)
    assert store.filters.list(destination.id) == [kept]
    assert store.changes()[-1].detail["filters_deleted"] == 1
