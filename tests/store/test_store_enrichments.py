"""Enrichment models: named lookup tables keyed by a column, matched on an event path."""

from __future__ import annotations

import pytest

from sluiceway.store import ConflictError, ValidationError

from .store_samples import ORDER_FIELDS, TRACK_ORDERS

PRODUCTS = [{"sku": "A-1", "price": 10}, {"sku": "B-2", "price": 25}, {"sku": 3, "price": 1}]


def products(store, workspace, **changes):
    options = {"key_path": "properties.sku", "key_column": "sku", "rows": PRODUCTS, **changes}
    return store.enrichments.create(workspace.id, "Products", **options)


def test_a_model_keeps_its_rows_key_column_and_key_path(store, workspace):
    created = products(store, workspace)
    stored = store.enrichments.get(created.id)
    assert (stored.name, stored.key_path, stored.key_column, stored.rows) == (
        "Products",
        "properties.sku",
        "sku",
        PRODUCTS,
    )


def test_names_are_unique_within_a_workspace(store, workspace):
    products(store, workspace)
    with pytest.raises(ConflictError) as error:
        products(store, workspace)
    assert error.value.field == "name"
    elsewhere = store.workspaces.create("Elsewhere")
    assert products(store, elsewhere).name == "Products"


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ("rows", "rows"),
        ([["A-1"]], "rows[0]"),
        ([{"price": 1}], "rows[0].sku"),
        ([{"sku": True}], "rows[0].sku"),
        ([{"sku": "A"}, {"sku": "A"}], "rows[1].sku"),
    ],
)
def test_every_row_has_a_unique_string_or_number_key(store, workspace, rows, field):
    with pytest.raises(ValidationError) as error:
        products(store, workspace, rows=rows)
    assert error.value.field == field


@pytest.mark.parametrize("path", ["", "properties..sku", "has space", None])
def test_the_key_path_is_a_dotted_event_path(store, workspace, path):
    with pytest.raises(ValidationError) as error:
        products(store, workspace, key_path=path)
    assert error.value.field == "key_path"


def test_update_checks_rows_against_the_new_key_column(store, workspace):
    created = products(store, workspace)
    with pytest.raises(ValidationError) as error:
        store.enrichments.update(created.id, key_column="id")
    assert error.value.field == "rows[0].id"
    updated = store.enrichments.update(created.id, key_column="price", key_path="properties.price")
    assert (updated.key_column, updated.key_path) == ("price", "properties.price")


def test_renaming_onto_another_models_name_is_a_conflict(store, workspace):
    products(store, workspace)
    other = store.enrichments.create(workspace.id, "Stores", key_path="context.store", key_column="id", rows=[])
    with pytest.raises(ConflictError):
        store.enrichments.update(other.id, name="Products")
    assert store.enrichments.update(other.id, name="Stores").name == "Stores"


def test_a_model_in_use_cannot_be_deleted(store, workspace, destination):
    created = products(store, workspace)
    store.mappings.create(
        destination.id, "Orders", TRACK_ORDERS, "post", ORDER_FIELDS, enrichment_ids=[created.id]
    )
    with pytest.raises(ConflictError, match="'Orders'") as error:
        store.enrichments.delete(created.id)
    assert error.value.field == "enrichment_id"
    assert store.enrichments.get(created.id).name == "Products"


def test_an_unused_model_is_deleted(store, workspace):
    created = products(store, workspace)
    store.enrichments.delete(created.id)
    assert store.enrichments.list(workspace.id) == []


def test_the_snapshot_looks_rows_up_by_key(store, workspace, destination):
    created = products(store, workspace)
    store.mappings.create(
        destination.id, "Orders", TRACK_ORDERS, "post", ORDER_FIELDS, enabled=True, enrichment_ids=[created.id]
    )
    route = store.snapshot().sources[0].destinations[0].mappings[0].enrichments[0]
    assert (route.name, route.key_path) == ("Products", "properties.sku")
    assert route.lookup("B-2") == {"sku": "B-2", "price": 25}
    assert route.lookup(3) == {"sku": 3, "price": 1}
    assert route.lookup("3") is None
    assert route.lookup(None) is None
    assert route.lookup(True) is None
