"""The error a user sees for a destination filter that cannot be saved."""

from __future__ import annotations


class FilterError(ValueError):
    """A destination filter breaks a rule; `field` names where (e.g. `actions[1].percent`)."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule
