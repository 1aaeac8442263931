"""Property: whatever sequence of edits, the stored order matches a plain list model
and positions stay dense (0..n-1)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway.store import ConfigStore
from sluiceway.store.records import WorkspaceRecord

from .store_samples import ORDER_FIELDS, TRACK_ORDERS

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "duplicate", "delete", "move", "up", "down", "reverse"]),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=12,
)


def _apply(store: ConfigStore, destination_id: str, model: list[str], names: dict[str, str], operation: str, number: int) -> None:
    if operation == "create" or not model:
        created = store.mappings.create(destination_id, f"M{len(names)}", TRACK_ORDERS, "act", ORDER_FIELDS)
        model.append(created.id)
        names[created.id] = created.name
        return
    index = number % len(model)
    target = model[index]
    if operation == "duplicate":
        copy = store.mappings.duplicate(target)
        model.insert(index + 1, copy.id)
        names[copy.id] = copy.name
    elif operation == "delete":
        store.mappings.delete(target)
        model.remove(target)
    elif operation == "move":
        position = number % len(model)
        store.mappings.move(target, position)
        model.remove(target)
        model.insert(position, target)
    elif operation == "up":
        store.mappings.move_up(target)
        if index > 0:
            model[index - 1], model[index] = model[index], model[index - 1]
    elif operation == "down":
        store.mappings.move_down(target)
        if index < len(model) - 1:
            model[index + 1], model[index] = model[index], model[index + 1]
    else:
        model.reverse()
        store.mappings.reorder(destination_id, list(model))


def _check_order(store: ConfigStore, workspace: WorkspaceRecord, operations: list[tuple[str, int]]) -> None:
    destination = store.destinations.create(workspace.id, "Target", "webhook")
    model: list[str] = []
    names: dict[str, str] = {}
    for operation, number in operations:
        _apply(store, destination.id, model, names, operation, number)
        stored = store.mappings.list(destination.id)
        assert [mapping.id for mapping in stored] == model
        assert [mapping.position for mapping in stored] == list(range(len(model)))
        assert all(mapping.name == names[mapping.id] for mapping in stored)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_edits_keeps_positions_dense_and_in_model_order(store, workspace, operations):
    _check_order(store, workspace, operations)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_edits_keeps_positions_dense_thoroughly(store, workspace, operations):
    _check_order(store, workspace, operations)
