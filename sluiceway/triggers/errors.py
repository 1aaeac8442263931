"""The error raised for a trigger Sluiceway cannot run."""

from __future__ import annotations


class TriggerError(ValueError):
    """A trigger is malformed or breaks a trigger rule.

    `position` is the 0-based offset in the FQL text where the problem was found, when
    the problem is in FQL text; `field` names the condition field, when there is one.
    """

    def __init__(self, message: str, *, position: int | None = None, field: str | None = None):
        prefix = f"Invalid trigger at position {position}: " if position is not None else "Invalid trigger: "
        super().__init__(prefix + message)
        self.position = position
        self.field = field
