"""Mapping rules from Segment's Destination Actions documentation (the seeds)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine

from sluiceway.store import (
    COPY_SUFFIX,
    ConfigStore,
    Limits,
    NotFoundError,
    SecretBox,
    ValidationError,
    create_store_engine,
)
from sluiceway.store.records import DestinationRecord, MappingRecord

from .store_samples import ORDER_FIELDS, TRACK_ORDERS


def add(store: ConfigStore, destination: DestinationRecord, name: str, **options: object) -> MappingRecord:
    return store.mappings.create(destination.id, name, TRACK_ORDERS, "post_message", ORDER_FIELDS, **options)


def names(store: ConfigStore, destination: DestinationRecord) -> list[str]:
    return [mapping.name for mapping in store.mappings.list(destination.id)]


def positions(store: ConfigStore, destination: DestinationRecord) -> list[int]:
    return [mapping.position for mapping in store.mappings.list(destination.id)]


def test_a_new_mapping_is_disabled_by_default(store, destination):
    created = add(store, destination, "Orders")
    assert created.enabled is False
    assert store.mappings.get(created.id).enabled is False


def test_a_mapping_created_enabled_is_enabled(store, destination):
    assert add(store, destination, "Orders", enabled=True).enabled is True


def test_a_new_mapping_keeps_its_trigger_action_and_field_mapping(store, destination):
    created = add(store, destination, "Orders")
    stored = store.mappings.get(created.id)
    assert (stored.subscribe, stored.action, stored.mapping) == (
        TRACK_ORDERS,
        "post_message",
        ORDER_FIELDS,
    )


def test_new_mappings_are_appended_in_creation_order(store, destination):
    for name in ("A", "B", "C"):
        add(store, destination, name)
    assert names(store, destination) == ["A", "B", "C"]
    assert positions(store, destination) == [0, 1, 2]


def test_rename_changes_only_the_name(store, destination):
    created = add(store, destination, "Orders", enabled=True)
    renamed = store.mappings.rename(created.id, "  Completed orders  ")
    assert renamed.name == "Completed orders"
    assert (renamed.subscribe, renamed.mapping, renamed.enabled, renamed.position) == (
        created.subscribe,
        created.mapping,
        True,
        0,
    )


def test_edit_replaces_trigger_action_and_mapping(store, destination):
    created = add(store, destination, "Orders")
    edited = store.mappings.update(
        created.id,
        subscribe='type = "identify"',
        action="update_user",
        mapping={"email": {"@path": "$.traits.email"}},
    )
    assert (edited.subscribe, edited.action, edited.mapping) == (
        'type = "identify"',
        "update_user",
        {"email": {"@path": "$.traits.email"}},
    )
    assert edited.name == "Orders"
    assert edited.updated_at >= created.updated_at


def test_enable_and_disable_toggle_the_mapping(store, destination):
    created = add(store, destination, "Orders")
    assert store.mappings.enable(created.id).enabled is True
    assert store.mappings.disable(created.id).enabled is False
    assert store.mappings.get(created.id).enabled is False


def test_delete_is_irreversible_and_closes_the_gap(store, destination):
    _first, second, _third = (add(store, destination, name) for name in ("A", "B", "C"))
    store.mappings.delete(second.id)
    with pytest.raises(NotFoundError) as error:
        store.mappings.get(second.id)
    assert error.value.field == "mapping_id"
    with pytest.raises(NotFoundError):
        store.mappings.enable(second.id)
    assert names(store, destination) == ["A", "C"]
    assert positions(store, destination) == [0, 1]


def test_duplicate_is_disabled_and_named_copy(store, destination):
    original = add(store, destination, "Orders", enabled=True)
    copy = store.mappings.duplicate(original.id)
    assert copy.name == "Orders (Copy)"
    assert copy.enabled is False
    assert copy.id != original.id
    assert (copy.subscribe, copy.action, copy.mapping) == (
        original.subscribe,
        original.action,
        original.mapping,
    )


def test_duplicate_is_placed_right_after_the_original(store, destination):
    for name in ("A", "B", "C"):
        add(store, destination, name)
    b = store.mappings.list(destination.id)[1]
    store.mappings.duplicate(b.id)
    assert names(store, destination) == ["A", "B", "B (Copy)", "C"]
    assert positions(store, destination) == [0, 1, 2, 3]


def test_duplicating_a_copy_appends_another_suffix(store, destination):
    original = add(store, destination, "Orders")
    copy = store.mappings.duplicate(original.id)
    assert store.mappings.duplicate(copy.id).name == "Orders (Copy) (Copy)"


def test_duplicate_of_a_maximal_name_still_ends_with_copy_and_fits(store, destination):
    original = add(store, destination, "x" * 255)
    copy = store.mappings.duplicate(original.id)
    assert copy.name.endswith(COPY_SUFFIX)
    assert len(copy.name) == 255


def test_duplicate_copies_enrichments(store, workspace, destination):
    model = store.enrichments.create(
        workspace.id, "Products", key_path="properties.sku", key_column="sku", rows=[{"sku": "A"}]
    )
    original = add(store, destination, "Orders", enrichment_ids=[model.id])
    assert store.mappings.duplicate(original.id).enrichment_ids == (model.id,)


def test_duplicate_is_independent_of_the_original(store, destination):
    original = add(store, destination, "Orders")
    copy = store.mappings.duplicate(original.id)
    store.mappings.update(copy.id, mapping={"total": {"@path": "$.properties.total"}})
    assert store.mappings.get(original.id).mapping == ORDER_FIELDS


def test_the_mapping_limit_is_50_by_default(store, destination):
    assert store.limits.mappings_per_destination == 50
    for number in range(50):
        add(store, destination, f"M{number}")
    with pytest.raises(ValidationError) as error:
        add(store, destination, "one too many")
    assert error.value.field == "mappings"
    assert "at most 50 mappings" in str(error.value)
    assert len(store.mappings.list(destination.id)) == 50


def test_the_mapping_limit_is_configurable(engine: Engine, box: SecretBox, workspace, destination):
    small = ConfigStore(engine, box, limits=Limits(mappings_per_destination=2))
    original = add(small, destination, "A")
    add(small, destination, "B")
    with pytest.raises(ValidationError, match="at most 2 mappings"):
        add(small, destination, "C")
    with pytest.raises(ValidationError, match="at most 2 mappings"):
        small.mappings.duplicate(original.id)


def test_the_limit_counts_per_destination(engine: Engine, box: SecretBox, workspace, destination):
    small = ConfigStore(engine, box, limits=Limits(mappings_per_destination=1))
    other = small.destinations.create(workspace.id, "Other", "webhook")
    add(small, destination, "A")
    assert add(small, other, "B").position == 0


def test_limits_must_be_positive_whole_numbers():
    with pytest.raises(ValidationError) as error:
        Limits(mappings_per_destination=0)
    assert error.value.field == "mappings_per_destination"


def test_move_up_and_down_swap_neighbours(store, destination):
    a, _b, c = (add(store, destination, name) for name in ("A", "B", "C"))
    store.mappings.move_up(c.id)
    assert names(store, destination) == ["A", "C", "B"]
    store.mappings.move_down(a.id)
    assert names(store, destination) == ["C", "A", "B"]


def test_moving_past_either_end_keeps_the_order(store, destination):
    a, b = (add(store, destination, name) for name in ("A", "B"))
    store.mappings.move_up(a.id)
    store.mappings.move_down(b.id)
    assert names(store, destination) == ["A", "B"]


def test_move_to_a_position(store, destination):
    a, _b, _c, _d = (add(store, destination, name) for name in ("A", "B", "C", "D"))
    assert store.mappings.move(a.id, 2).position == 2
    assert names(store, destination) == ["B", "C", "A", "D"]
    assert positions(store, destination) == [0, 1, 2, 3]


@pytest.mark.parametrize("position", [-1, 2, 1.5, True, "1"])
def test_move_rejects_a_position_outside_the_list(store, destination, position):
    first = add(store, destination, "A")
    add(store, destination, "B")
    with pytest.raises(ValidationError) as error:
        store.mappings.move(first.id, position)
    assert error.value.field == "position"


def test_reorder_sets_the_full_order(store, destination):
    a, b, c = (add(store, destination, name) for name in ("A", "B", "C"))
    result = store.mappings.reorder(destination.id, [c.id, a.id, b.id])
    assert [mapping.name for mapping in result] == ["C", "A", "B"]
    assert names(store, destination) == ["C", "A", "B"]
    assert positions(store, destination) == [0, 1, 2]


@pytest.mark.parametrize(
    ("order", "problem"),
    [
        (lambda a, b, c: [a, b], "missing"),
        (lambda a, b, c: [a, b, c, "nope"], "not of this destination"),
        (lambda a, b, c: [a, b, c, a], "repeated"),
    ],
)
def test_reorder_must_list_every_mapping_exactly_once(store, destination, order, problem):
    ids = [add(store, destination, name).id for name in ("A", "B", "C")]
    with pytest.raises(ValidationError) as error:
        store.mappings.reorder(destination.id, order(*ids))
    assert error.value.field == "mapping_ids"
    assert problem in error.value.rule
    assert names(store, destination) == ["A", "B", "C"]


def test_reorder_rejects_mappings_of_another_destination(store, workspace, destination):
    other = store.destinations.create(workspace.id, "Other", "webhook")
    mine = add(store, destination, "A")
    theirs = add(store, other, "B")
    with pytest.raises(ValidationError, match="not of this destination"):
        store.mappings.reorder(destination.id, [mine.id, theirs.id])


@pytest.mark.parametrize("subscribe", ["", "   ", None, 'type = "track" and', 'event = "x" and and'])
def test_a_trigger_that_does_not_parse_is_rejected_naming_subscribe(store, destination, subscribe):
    with pytest.raises(ValidationError) as error:
        store.mappings.create(destination.id, "Bad", subscribe, "post_message", ORDER_FIELDS)
    assert error.value.field == "subscribe"
    assert store.mappings.list(destination.id) == []


def test_an_edit_with_a_bad_trigger_changes_nothing(store, destination):
    created = add(store, destination, "Orders")
    with pytest.raises(ValidationError):
        store.mappings.update(created.id, name="Renamed", subscribe="type = ")
    assert store.mappings.get(created.id).name == "Orders"


@pytest.mark.parametrize("mapping", [[], "text", {"a": {"@path": 3}}, {"a": {"@unknown": "x"}}])
def test_a_field_mapping_the_engine_rejects_is_rejected_naming_mapping(store, destination, mapping):
    with pytest.raises(ValidationError) as error:
        store.mappings.create(destination.id, "Bad", TRACK_ORDERS, "post_message", mapping)
    assert error.value.field == "mapping"


@pytest.mark.parametrize("name", ["", "  ", None, 7, "x" * 256])
def test_a_mapping_needs_a_name_of_at_most_255_characters(store, destination, name):
    with pytest.raises(ValidationError) as error:
        store.mappings.create(destination.id, name, TRACK_ORDERS, "post_message", ORDER_FIELDS)
    assert error.value.field == "name"


@pytest.mark.parametrize("action", ["", "9lives", "has space", None])
def test_the_action_must_be_an_action_key(store, destination, action):
    with pytest.raises(ValidationError) as error:
        store.mappings.create(destination.id, "Orders", TRACK_ORDERS, action, ORDER_FIELDS)
    assert error.value.field == "action"


def test_a_mapping_needs_an_existing_destination(store):
    with pytest.raises(NotFoundError) as error:
        store.mappings.create("missing", "Orders", TRACK_ORDERS, "post_message", ORDER_FIELDS)
    assert error.value.field == "destination_id"


def test_enrichments_must_exist_and_share_the_workspace(store, workspace, destination):
    with pytest.raises(NotFoundError) as missing:
        add(store, destination, "Orders", enrichment_ids=["nope"])
    assert missing.value.field == "enrichment_ids[0]"
    elsewhere = store.workspaces.create("Elsewhere")
    foreign = store.enrichments.create(
        elsewhere.id, "Products", key_path="properties.sku", key_column="sku", rows=[]
    )
    with pytest.raises(ValidationError, match="workspace"):
        add(store, destination, "Orders", enrichment_ids=[foreign.id])


def test_an_enrichment_listed_twice_is_rejected(store, workspace, destination):
    model = store.enrichments.create(
        workspace.id, "Products", key_path="properties.sku", key_column="sku", rows=[]
    )
    with pytest.raises(ValidationError) as error:
        add(store, destination, "Orders", enrichment_ids=[model.id, model.id])
    assert error.value.field == "enrichment_ids[1]"


def test_replacing_enrichments_keeps_the_ones_listed_again(store, workspace, destination):
    first, second = (
        store.enrichments.create(workspace.id, name, key_path="userId", key_column="id", rows=[])
        for name in ("First", "Second")
    )
    created = add(store, destination, "Orders", enrichment_ids=[first.id])
    updated = store.mappings.update(created.id, enrichment_ids=[second.id, first.id])
    assert updated.enrichment_ids == (second.id, first.id)
    assert store.mappings.get(created.id).enrichment_ids == (second.id, first.id)


def test_deleting_a_destination_deletes_its_mappings(store, destination):
    created = add(store, destination, "Orders")
    store.destinations.delete(destination.id)
    with pytest.raises(NotFoundError):
        store.mappings.get(created.id)


def test_concurrent_creates_never_exceed_the_limit_or_break_the_order(database_url, box, workspace, destination):
    engines = [create_store_engine(database_url) for _ in range(4)]
    stores = [ConfigStore(engine, box, limits=Limits(mappings_per_destination=5)) for engine in engines]

    def attempt(number: int) -> str:
        try:
            add(stores[number % len(stores)], destination, f"M{number}")
        except ValidationError:
            return "refused"
        return "created"

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(attempt, range(12)))
    finally:
        for engine in engines:
            engine.dispose()
    assert outcomes.count("created") == 5
    assert outcomes.count("refused") == 7
    assert positions(stores[0], destination) == [0, 1, 2, 3, 4]
