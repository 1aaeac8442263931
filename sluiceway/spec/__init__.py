"""The event model: Segment's six message types, their rules, normalisation and limits.

    spec.normalize(message, received_at=now)      # -> normalised dict, or spec.Reject
    spec.normalize_batch(body, received_at=now)   # -> BatchResult (one outcome per item)
    spec.destination_enabled(integrations, "Mixpanel", instance_id)
    spec.delivery_key(message_id, mapping_id)     # idempotency key for one delivery

Pure functions only: no I/O, nothing global. docs/spec.md explains every rule.
"""

from __future__ import annotations

from ._ids import MAX_MESSAGE_ID_LENGTH, MESSAGE_ID_PREFIX, new_message_id
from .idempotency import DELIVERY_KEY_LENGTH, delivery_key
from .integrations import ALL, OFF_BY_DEFAULT, destination_enabled, unknown_integration_keys
from .limits import (
    MAX_BATCH_BYTES,
    MAX_BATCH_MESSAGES,
    MAX_MESSAGE_BYTES,
    check_batch_count,
    check_batch_size,
    check_message_size,
    serialized_size,
)
from .message_types import (
    ALIAS,
    GROUP,
    IDENTIFY,
    MESSAGE_TYPES,
    OBJECT_FIELD,
    PAGE,
    SCREEN,
    TRACK,
)
from .normalize import BatchDefaults, BatchResult, normalize, normalize_batch
from .reject import SEGMENT_CODES, SLUICEWAY_CODES, Reject
from .timestamps import corrected_timestamp, format_timestamp, parse_timestamp
from .validation import validate

__all__ = [
    "ALIAS",
    "ALL",
    "DELIVERY_KEY_LENGTH",
    "GROUP",
    "IDENTIFY",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_MESSAGES",
    "MAX_MESSAGE_BYTES",
    "MAX_MESSAGE_ID_LENGTH",
    "MESSAGE_ID_PREFIX",
    "MESSAGE_TYPES",
    "OBJECT_FIELD",
    "OFF_BY_DEFAULT",
    "PAGE",
    "SCREEN",
    "SEGMENT_CODES",
    "SLUICEWAY_CODES",
    "TRACK",
    "BatchDefaults",
    "BatchResult",
    "Reject",
    "check_batch_count",
    "check_batch_size",
    "check_message_size",
    "corrected_timestamp",
    "delivery_key",
    "destination_enabled",
    "format_timestamp",
    "new_message_id",
    "normalize",
    "normalize_batch",
    "parse_timestamp",
    "serialized_size",
    "unknown_integration_keys",
    "validate",
]
