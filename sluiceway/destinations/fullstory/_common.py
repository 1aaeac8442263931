"""Helpers FullStory's actions share: timestamps and user paths."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

# JavaScript's encodeURIComponent leaves these unescaped besides letters and digits.
_URI_COMPONENT_SAFE = "-_.!~*'()"


def iso_timestamp(value: Any) -> str | None:
    """`value` as `toISOString()` writes it (UTC, milliseconds, `Z`), or None if it is no date.

    As with Segment's `dayjs.utc(value)`, a number is epoch milliseconds and a date
    without a zone is UTC.
    """
    parsed = _parse(value)
    if parsed is None:
        return None
    utc = parsed.astimezone(UTC) if parsed.tzinfo else parsed
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _parse(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def user_path(user_id: str, resource: str) -> str:
    """The v1 path of one user's `resource` (`customevent`, `customvars`)."""
    return f"/users/v1/individual/{quote(user_id, safe=_URI_COMPONENT_SAFE)}/{resource}?integration=segment"
