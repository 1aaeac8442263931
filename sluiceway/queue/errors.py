"""The one error type the queue raises for misuse or a failing backend."""

from __future__ import annotations


class QueueError(ValueError):
    """A queue operation was refused (bad name, unknown consumer) or the backend failed.

    A ValueError like the project's other errors, so callers can catch one family.
    """
