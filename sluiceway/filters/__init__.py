"""Destination filters: Segment's Public API filters, applied before any mapping.

    filters.apply(event, filter_list)   # -> filtered event, or None when dropped

A filter is `{"if": "<FQL>", "actions": [...], "enabled": true}` with actions DROP,
SAMPLE (`percent`, optional `path`), DROP_PROPERTIES and ALLOW_PROPERTIES (`fields`).
"""

from __future__ import annotations

from ._engine import FILTERED_BY_RULES, FilterOutcome, FilterSet, apply, evaluate, preview
from ._sampler import SAMPLER_SEGMENT, SAMPLER_TSUB_JS
from ._validation import ACTION_TYPES, MAX_TITLE_LENGTH, validate_action, validate_filter
from .errors import FilterError

__all__ = [
    "ACTION_TYPES",
    "FILTERED_BY_RULES",
    "MAX_TITLE_LENGTH",
    "SAMPLER_SEGMENT",
    "SAMPLER_TSUB_JS",
    "FilterError",
    "FilterOutcome",
    "FilterSet",
    "apply",
    "evaluate",
    "preview",
    "validate_action",
    "validate_filter",
]
