"""The errors the configuration store raises: each names the field and the rule.

All are ValueError subclasses, like the rest of the project's user-facing errors, so a
caller can catch one family; the subclasses tell the API which status to answer
(400 for a broken rule, 404 for a missing object, 409 for a clash with existing data).
"""

from __future__ import annotations


class StoreError(ValueError):
    """A configuration change or lookup was refused; `field` says where, `rule` why."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule


class ValidationError(StoreError):
    """The request breaks a rule: a bad value, or a limit such as 50 mappings."""


class NotFoundError(StoreError):
    """The object named by an id does not exist (or was deleted)."""


class ConflictError(StoreError):
    """The request clashes with existing data, such as a slug already in use."""
