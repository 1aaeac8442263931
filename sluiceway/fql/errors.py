"""The one error the FQL package raises."""

from __future__ import annotations


class FqlError(ValueError):
    """FQL text or FQL IR that Sluiceway cannot run.

    `position` is the 0-based character offset in the FQL text where the problem was
    found; it is None for problems in IR, where `location` names the offending element
    (for example `ir[2][1]`). `reason` is the message without its prefix.
    """

    def __init__(self, reason: str, position: int | None = None, *, location: str | None = None):
        if position is not None:
            message = f"FQL error at position {position}: {reason}"
        elif location is not None:
            message = f"FQL IR error at {location}: {reason}"
        else:
            message = f"FQL error: {reason}"
        super().__init__(message)
        self.reason = reason
        self.position = position
        self.location = location
