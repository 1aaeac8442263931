"""Per-item outcomes of a batch (Segment's multistatus), so only failed items are retried.

`perform_batch` may return a `MultiStatus` it filled from the vendor's answer; otherwise
every item shares the batch's outcome. Either way the kit hands delivery one
`ItemStatus` per event, and delivery retries exactly the items whose status is retryable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import error_code_for_status, is_retryable_status


@dataclass(frozen=True, kw_only=True)
class ItemStatus:
    """One event's outcome in a batch: an HTTP-like status and, on failure, why."""

    status: int
    sent: Any = None
    body: Any = None
    error_code: str | None = None
    error_message: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        return not self.ok and is_retryable_status(self.status)

    def to_dict(self) -> dict[str, Any]:
        """Segment's response shape: status, sent, body, and errortype/errormessage on failure."""
        out: dict[str, Any] = {"status": self.status}
        if not self.ok:
            out["errortype"] = self.error_code or error_code_for_status(self.status)
            out["errormessage"] = self.error_message or ""
        if self.sent is not None:
            out["sent"] = self.sent
        if self.body is not None:
            out["body"] = self.body
        if self.retry_after is not None:
            out["retry_after"] = self.retry_after
        return out


class MultiStatus:
    """The statuses a `perform_batch` reports, by position in the payload list it was given."""

    def __init__(self) -> None:
        self._items: list[ItemStatus | None] = []

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> ItemStatus | None:
        return self._items[index]

    def items(self) -> list[ItemStatus | None]:
        return list(self._items)

    def set(self, index: int, status: ItemStatus) -> None:
        if index >= len(self._items):
            self._items.extend([None] * (index + 1 - len(self._items)))
        self._items[index] = status

    def set_success(
        self, index: int, *, status: int = 200, sent: Any = None, body: Any = None
    ) -> None:
        self.set(index, ItemStatus(status=status, sent=sent, body=body))

    def set_error(
        self,
        index: int,
        *,
        status: int,
        message: str,
        code: str | None = None,
        sent: Any = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        """Record a failure; the code defaults to Segment's name for the status."""
        item = ItemStatus(
            status=status,
            sent=sent,
            body=body,
            error_code=code or error_code_for_status(status),
            error_message=message,
            retry_after=retry_after,
        )
        self.set(index, item)

    def push_success(self, *, status: int = 200, sent: Any = None, body: Any = None) -> None:
        self.set_success(len(self._items), status=status, sent=sent, body=body)

    def push_error(self, *, status: int, message: str, code: str | None = None, **extra: Any) -> None:
        self.set_error(len(self._items), status=status, message=message, code=code, **extra)


def retryable_indexes(statuses: list[ItemStatus]) -> list[int]:
    """Positions of the items delivery should send again."""
    return [index for index, status in enumerate(statuses) if status.retryable]
