"""The per-destination limits the store enforces (Segment's numbers by default)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError

MAX_MAPPINGS_PER_DESTINATION = 50  # "Actions-based destinations have a limit of 50 individual mappings."
MAX_FILTERS_PER_DESTINATION = 10  # Segment's Public API: 10 filters per destination


@dataclass(frozen=True, slots=True)
class Limits:
    mappings_per_destination: int = MAX_MAPPINGS_PER_DESTINATION
    filters_per_destination: int = MAX_FILTERS_PER_DESTINATION

    def __post_init__(self) -> None:
        for name in ("mappings_per_destination", "filters_per_destination"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(name, f"must be a positive whole number, got {value!r}")
