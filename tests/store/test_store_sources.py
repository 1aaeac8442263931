"""Workspaces and sources: slugs, write keys, enable/disable, cascades."""

from __future__ import annotations

import re

import pytest

from sluiceway.store import ConflictError, NotFoundError, ValidationError

WRITE_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


def test_a_workspace_slug_is_derived_from_its_name_and_kept_unique(store):
    first = store.workspaces.create("Acme Corp!")
    second = store.workspaces.create("acme  corp")
    assert (first.slug, second.slug) == ("acme-corp", "acme-corp-2")


def test_a_given_workspace_slug_that_is_taken_is_a_conflict(store):
    store.workspaces.create("Acme", slug="acme")
    with pytest.raises(ConflictError) as error:
        store.workspaces.create("Other", slug="acme")
    assert error.value.field == "slug"


@pytest.mark.parametrize("slug", ["", "Acme", "-acme", "acme-", "a b", "x" * 101])
def test_a_slug_is_lower_case_letters_digits_and_inner_dashes(store, slug):
    with pytest.raises(ValidationError) as error:
        store.workspaces.create("Acme", slug=slug)
    assert error.value.field == "slug"


def test_ensure_default_creates_one_workspace_once(store):
    first = store.workspaces.ensure_default()
    assert store.workspaces.ensure_default() == first
    assert [workspace.name for workspace in store.workspaces.list()] == ["Default"]


def test_a_name_that_makes_no_slug_falls_back(store, workspace):
    assert store.sources.create(workspace.id, "🚀🚀").slug == "source"


def test_a_new_source_gets_a_random_url_safe_32_character_write_key(store, workspace):
    keys = {store.sources.create(workspace.id, f"S{number}").write_key for number in range(20)}
    assert len(keys) == 20
    assert all(WRITE_KEY.fullmatch(key) for key in keys)


def test_a_source_is_found_by_its_write_key(store, source):
    assert store.sources.by_write_key(source.write_key) == source
    assert store.sources.by_write_key("nope") is None
    assert store.sources.by_write_key("") is None


def test_regenerating_the_write_key_retires_the_old_one(store, source):
    renewed = store.sources.regenerate_write_key(source.id)
    assert renewed.write_key != source.write_key
    assert WRITE_KEY.fullmatch(renewed.write_key)
    assert store.sources.by_write_key(source.write_key) is None
    assert store.sources.by_write_key(renewed.write_key).id == source.id


def test_source_slugs_are_unique_per_workspace_only(store, workspace):
    other = store.workspaces.create("Other")
    assert store.sources.create(workspace.id, "Web").slug == "web"
    assert store.sources.create(workspace.id, "Web").slug == "web-2"
    assert store.sources.create(other.id, "Web").slug == "web"
    with pytest.raises(ConflictError):
        store.sources.create(workspace.id, "Another", slug="web")


def test_renaming_a_source_keeps_its_slug_and_write_key(store, source):
    renamed = store.sources.rename(source.id, "Marketing site")
    assert (renamed.name, renamed.slug, renamed.write_key) == ("Marketing site", source.slug, source.write_key)


def test_sources_can_be_disabled_and_enabled(store, source):
    assert store.sources.disable(source.id).enabled is False
    assert store.sources.get(source.id).enabled is False
    assert store.sources.enable(source.id).enabled is True


def test_a_source_needs_an_existing_workspace(store):
    with pytest.raises(NotFoundError) as error:
        store.sources.create("missing", "Web")
    assert error.value.field == "workspace_id"


def test_sources_list_by_workspace(store, workspace, source):
    other = store.workspaces.create("Other")
    elsewhere = store.sources.create(other.id, "App")
    assert store.sources.list(workspace.id) == [source]
    assert {item.id for item in store.sources.list()} == {source.id, elsewhere.id}


def test_a_destination_is_created_with_its_type_and_connections(store, workspace, source):
    created = store.destinations.create(workspace.id, "Hook", "webhook", source_ids=[source.id])
    assert (created.type, created.enabled, created.source_ids) == ("webhook", True, (source.id,))


@pytest.mark.parametrize("kind", ["", "Has Space", "1abc", None])
def test_a_destination_type_must_be_a_catalog_key(store, workspace, kind):
    with pytest.raises(ValidationError) as error:
        store.destinations.create(workspace.id, "Hook", kind)
    assert error.value.field == "type"


def test_destinations_connect_and_disconnect_sources(store, workspace, destination, source):
    app = store.sources.create(workspace.id, "App")
    assert store.destinations.connect(destination.id, app.id).source_ids == (source.id, app.id)
    assert store.destinations.disconnect(destination.id, source.id).source_ids == (app.id,)


def test_connecting_twice_is_a_conflict(store, destination, source):
    with pytest.raises(ConflictError) as error:
        store.destinations.connect(destination.id, source.id)
    assert error.value.field == "source_id"


def test_disconnecting_a_source_that_is_not_connected_is_rejected(store, workspace, destination):
    app = store.sources.create(workspace.id, "App")
    with pytest.raises(ValidationError) as error:
        store.destinations.disconnect(destination.id, app.id)
    assert error.value.field == "source_id"


def test_sources_and_destinations_must_share_a_workspace(store, destination):
    other = store.workspaces.create("Other")
    stranger = store.sources.create(other.id, "Elsewhere")
    with pytest.raises(ValidationError, match="same workspace"):
        store.destinations.connect(destination.id, stranger.id)


def test_destinations_can_be_renamed_disabled_and_enabled(store, destination):
    assert store.destinations.rename(destination.id, "Team Slack").name == "Team Slack"
    assert store.destinations.disable(destination.id).enabled is False
    assert store.destinations.enable(destination.id).enabled is True


def test_deleting_a_source_removes_its_connections(store, destination, source):
    store.sources.delete(source.id)
    assert store.destinations.get(destination.id).source_ids == ()
    with pytest.raises(NotFoundError):
        store.sources.get(source.id)


def test_deleting_a_workspace_removes_everything_in_it(store, workspace, destination, source):
    store.enrichments.create(workspace.id, "Products", key_path="properties.sku", key_column="sku", rows=[])
    store.workspaces.delete(workspace.id)
    assert store.sources.list() == []
    assert store.destinations.list() == []
    assert store.enrichments.list() == []
    with pytest.raises(NotFoundError):
        store.workspaces.get(workspace.id)


def test_deleting_a_workspace_with_a_mapping_that_uses_an_enrichment(store, workspace, destination):
    model = store.enrichments.create(workspace.id, "Products", key_path="properties.sku", key_column="sku", rows=[])
    store.mappings.create(
        destination.id, "Orders", 'type = "track"', "post", {"a": "b"}, enrichment_ids=[model.id]
    )
    store.workspaces.delete(workspace.id)
    assert store.enrichments.list() == []
