"""How a consumer is configured, and the rules for stream, consumer and subject names.

The fields and their meaning follow NATS JetStream's consumer configuration
(`ack_wait`, `max_deliver`, `backoff`, `deliver_policy`, `filter_subjects`) so a
JetStream backend can pass them through unchanged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from .errors import QueueError

DeliverPolicy = Literal["new", "all"]

_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
_TOKEN_FORBIDDEN = re.compile(r"[\s*>]")


@dataclass(frozen=True, slots=True)
class ConsumerConfig:
    """A durable pull consumer's settings.

    - `ack_wait_s`: how long a delivery stays invisible to other fetches; a delivery
      neither acked nor extended in that time is redelivered (a crashed worker's
      messages come back this way).
    - `max_deliver`: deliveries before the message is dead-lettered with reason
      `max_deliver`; None for no limit.
    - `backoff_s`: if given, replaces `ack_wait_s` per attempt: the n-th delivery stays
      invisible for `backoff_s[n-1]` (the last value repeats), as in JetStream.
    - `deliver_policy`: where a *new* consumer starts: "new" (messages published from
      now on, like a destination added in Segment) or "all" (every retained message).
    - `filter_subjects`: deliver only messages whose subject matches one of these
      (NATS wildcards: `*` one token, `>` the rest); empty means all.
    """

    ack_wait_s: float = 30.0
    max_deliver: int | None = None
    backoff_s: tuple[float, ...] = ()
    deliver_policy: DeliverPolicy = "new"
    filter_subjects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.ack_wait_s) and self.ack_wait_s > 0):
            raise QueueError(f"ack_wait_s must be a positive number of seconds, got {self.ack_wait_s}")
        if self.max_deliver is not None and self.max_deliver < 1:
            raise QueueError(f"max_deliver must be at least 1 (or None), got {self.max_deliver}")
        if any(not (math.isfinite(s) and s > 0) for s in self.backoff_s):
            raise QueueError(f"backoff_s values must be positive seconds, got {self.backoff_s}")
        if self.deliver_policy not in ("new", "all"):
            raise QueueError(f"deliver_policy must be 'new' or 'all', got {self.deliver_policy!r}")
        for pattern in self.filter_subjects:
            check_subject(pattern, wildcards=True)

    def invisible_for(self, attempt: int) -> float:
        """Seconds the `attempt`-th delivery stays invisible before it is redelivered."""
        if not self.backoff_s:
            return self.ack_wait_s
        return self.backoff_s[min(attempt, len(self.backoff_s)) - 1]


def check_name(kind: str, name: str) -> str:
    """`name` if it can name a stream or consumer in every backend; else QueueError.

    JetStream forbids `.`, `*`, `>`, whitespace and path separators in these names; we
    allow the portable subset: letters, digits, `_` and `-`, at most 128 characters.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise QueueError(
            f"{kind} name {name!r} must be 1-128 letters, digits, '_' or '-'"
        )
    return name


def check_subject(subject: str, *, wildcards: bool = False) -> str:
    """`subject` if it is a valid NATS subject (a filter when `wildcards`); else QueueError."""
    if not isinstance(subject, str) or not subject:
        raise QueueError(f"subject {subject!r} must be a non-empty string")
    tokens = subject.split(".")
    for index, token in enumerate(tokens):
        if wildcards and (token == "*" or (token == ">" and index == len(tokens) - 1)):
            continue
        if not token or _TOKEN_FORBIDDEN.search(token):
            where = "filter" if wildcards else "subject"
            raise QueueError(
                f"{where} {subject!r}: token {index + 1} ({token!r}) must be non-empty, "
                "without spaces, and use '*' or '>' only as a whole token ('>' last)"
            )
    return subject


def subject_matches(pattern: str, subject: str) -> bool:
    """Whether `subject` matches the NATS filter `pattern`."""
    wanted = pattern.split(".")
    actual = subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(actual) > index
        if index >= len(actual) or (token != "*" and token != actual[index]):
            return False
    return len(actual) == len(wanted)
