"""Records as the API shows them: JSON objects with ISO times and masked secrets."""

from __future__ import annotations

from typing import Any

from sluiceway import triggers
from sluiceway.store import DestinationRecord, MappingRecord, SourceRecord
from sluiceway.store.records import json_view


def source_view(record: SourceRecord) -> dict[str, Any]:
    # The write key identifies a source to the tracking API; users copy it from here.
    return {**json_view(record), "write_key": record.write_key}


def destination_view(record: DestinationRecord, catalog_name: str | None = None) -> dict[str, Any]:
    view = json_view(record)
    view["catalog_name"] = catalog_name
    return view


def mapping_view(record: MappingRecord) -> dict[str, Any]:
    view = json_view(record)
    view["trigger_summary"] = trigger_summary(record.subscribe)
    return view


def trigger_summary(subscribe: str) -> str:
    """One line for the mappings table: the condition builder's reading when it has one."""
    try:
        group = triggers.fql_to_group(subscribe)
    except (triggers.TriggerError, ValueError):
        return subscribe
    if group is None:
        return subscribe
    joiner = " and " if group.match == "all" else " or "
    return joiner.join(_describe(condition) for condition in group.conditions) or subscribe


_KINDS = {
    "event_type": "Event type",
    "event_name": "Event name",
    "event_property": "Property",
    "event_trait": "Trait",
    "event_context": "Context",
    "page_name": "Page name",
    "user_id": "User ID",
}


def _describe(condition: triggers.Condition) -> str:
    subject = _KINDS.get(condition.kind, condition.kind)
    if condition.field:
        subject = f"{subject} {condition.field}"
    operator = condition.operator.replace("_", " ")
    if condition.value in (None, ""):
        return f"{subject} {operator}"
    return f"{subject} {operator} {condition.value!r}".replace("'", '"')
