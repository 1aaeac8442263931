"""Applies a destination's filters to one event.

Segment runs destination filters before mappings, and applies their actions in a fixed
order whatever order the filters were created in: sample, drop, drop properties, allow
properties. Every enabled filter's condition is tested against the event as it arrived,
so removing a property in one filter never changes whether another filter applies.

A filter that cannot be understood (invalid FQL, a malformed action) drops every event
that reaches it: a broken PII filter must never let data through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import fql
from ._properties import allow_properties, drop_properties, lookup
from ._sampler import SAMPLER_SEGMENT, SAMPLERS, sample_keeps
from ._validation import validate_action
from .errors import FilterError

FILTERED_BY_RULES = "FILTERED_BY_RULES"
_ACTION_ORDER = {"SAMPLE": 0, "DROP": 1, "DROP_PROPERTIES": 2, "ALLOW_PROPERTIES": 3}


@dataclass(frozen=True)
class FilterOutcome:
    """What the filters did to one event, for delivery metrics and previews.

    `event` is the event to route on, or None when a filter dropped it; then `reason`
    is Segment's discard code and `message` says which filter and why.
    """

    event: dict | None
    reason: str | None = None
    message: str | None = None
    matched: tuple[str, ...] = ()

    @property
    def dropped(self) -> bool:
        return self.event is None


@dataclass(frozen=True)
class _Filter:
    name: str
    matches: Callable[[Mapping[str, Any]], bool]
    actions: tuple[Mapping[str, Any], ...]
    broken: str | None = None


class FilterSet:
    """A destination's filters, compiled once and applied to many events."""

    def __init__(self, filter_list: Iterable[Mapping[str, Any]], *, sampler: str = SAMPLER_SEGMENT):
        if sampler not in SAMPLERS:
            raise FilterError("sampler", f"must be one of {', '.join(SAMPLERS)}, got {sampler!r}")
        self._sampler = sampler
        self._filters = tuple(
            _compile_filter(data, index)
            for index, data in enumerate(filter_list)
            if not isinstance(data, Mapping) or data.get("enabled", True) is not False
        )

    def __len__(self) -> int:
        return len(self._filters)

    def evaluate(self, event: dict) -> FilterOutcome:
        """Run every enabled filter on `event`; never modifies `event` itself."""
        matched: list[_Filter] = []
        for item in self._filters:
            if item.broken is not None:
                return FilterOutcome(None, FILTERED_BY_RULES, item.broken, (item.name,))
            if item.matches(event):
                matched.append(item)
        names = tuple(item.name for item in matched)
        steps = sorted(
            ((action, item.name) for item in matched for action in item.actions),
            key=lambda step: _ACTION_ORDER[step[0]["type"]],
        )
        for action, name in steps:
            event = self._run(action, event)
            if event is None:
                message = f"dropped by filter {name} ({action['type']})"
                return FilterOutcome(None, FILTERED_BY_RULES, message, names)
        return FilterOutcome(event, matched=names)

    def apply(self, event: dict) -> dict | None:
        """Return the filtered event, or None when a filter drops it."""
        return self.evaluate(event).event

    def _run(self, action: Mapping[str, Any], event: dict) -> dict | None:
        kind = action["type"]
        if kind == "DROP":
            return None
        if kind == "SAMPLE":
            path = action.get("path")
            value = lookup(event, path) if path else None
            keep = sample_keeps(value, action["percent"], has_path=bool(path), sampler=self._sampler)
            return event if keep else None
        if kind == "DROP_PROPERTIES":
            return drop_properties(event, action["fields"])
        return allow_properties(event, action["fields"])


def apply(event: dict, filter_list: Iterable[Mapping[str, Any]]) -> dict | None:
    """Filter one event with Public-API-shaped filters; None when it is dropped."""
    return FilterSet(filter_list).apply(event)


def evaluate(event: dict, filter_list: Iterable[Mapping[str, Any]]) -> FilterOutcome:
    """Like `apply`, but says which filters matched and why an event was dropped."""
    return FilterSet(filter_list).evaluate(event)


def preview(filter_data: Mapping[str, Any], payload: dict) -> dict[str, Any]:
    """Segment's preview endpoint: `{inputPayload, result}`, result None when dropped."""
    return {"inputPayload": payload, "result": FilterSet([filter_data]).apply(payload)}


def _compile_filter(data: Any, index: int) -> _Filter:
    name = _filter_name(data, index)
    try:
        matches = _compile_condition(data.get("if") if isinstance(data, Mapping) else None)
        actions = data.get("actions") if isinstance(data, Mapping) else None
        if not isinstance(actions, list) or not actions:
            raise FilterError("actions", "must be a non-empty list of actions")
        for position, action in enumerate(actions):
            validate_action(action, f"actions[{position}]")
    except (FilterError, fql.FqlError) as error:
        broken = f"filter {name} is invalid and drops every event: {error}"
        return _Filter(name, _never, (), broken)
    return _Filter(name, matches, tuple(actions))


def _filter_name(data: Any, index: int) -> str:
    if isinstance(data, Mapping):
        for key in ("title", "id"):
            if isinstance(data.get(key), str) and data[key]:
                return repr(data[key])
    return f"#{index + 1}"


def _compile_condition(condition: Any) -> Callable[[Mapping[str, Any]], bool]:
    if not isinstance(condition, str) or not condition.strip():
        raise FilterError("if", "is required and must be an FQL statement such as \"all\"")
    return _compiled_query(condition).matches


@functools.lru_cache(maxsize=1024)
def _compiled_query(text: str) -> fql.Query:
    # The same few filter statements are compiled for every event batch; cache them.
    return fql.compile(text)


def _never(_event: Mapping[str, Any]) -> bool:
    return False
