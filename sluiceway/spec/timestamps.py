"""ISO-8601 timestamps: read leniently, written one canonical way.

Clients send every flavour of ISO-8601: with or without milliseconds, with `Z` or an
offset (`+02:00`, `+0200`), occasionally with a space for `T` or an unpadded month
(Segment's own batch example has `2015-2-02T00:30:08.276Z`). We read all of these;
a time without an offset is taken as UTC, as JavaScript's `Date` does for the
date-only form and as servers do for their own clocks.

Precision is the millisecond: JavaScript's `Date`, and so most clients and Segment's
output, stop there. Extra digits are truncated, not rounded, as `Date.parse` does.

We write one form only, `2015-12-10T04:08:31.909Z`: UTC, milliseconds, `Z`. That is
what Segment writes for `receivedAt` and `timestamp`, and it sorts as text, which the
FQL `received_at >= '...'` migration recipe depends on.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_UNPADDED = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?"
)


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC datetime for an ISO-8601 string, or None when it is not one.

    Non-strings (epoch numbers, booleans, objects) are not timestamps: Segment's spec
    says every timestamp is an ISO-8601 string.
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        parsed = _parse_unpadded(value.strip())
        if parsed is None:
            return None
    try:
        return to_utc_millis(parsed)
    except OverflowError:  # an offset that pushes the time outside years 1-9999
        return None


def to_utc_millis(moment: datetime) -> datetime:
    """`moment` in UTC, cut to the millisecond; a naive datetime is taken as UTC."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def _parse_unpadded(text: str) -> datetime | None:
    match = _UNPADDED.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), micros,
        )
        return moment.replace(tzinfo=_offset(offset))
    except ValueError:
        return None


def _offset(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def format_timestamp(moment: datetime) -> str:
    """`moment` as `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC; a naive datetime is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}Z"
    )


def corrected_timestamp(
    received_at: datetime, original: datetime | None, sent_at: datetime | None
) -> datetime:
    """Segment's event time: `receivedAt − (sentAt − originalTimestamp)`.

    The client's clock may be wrong by any amount, but the gap it measures between
    "the event happened" and "the request left" is trustworthy, and the request left at
    about the moment we received it. Without `sentAt` the skew cannot be measured, so
    the client's own time is kept as is (what analytics-python and other server-side
    importers mean when they set `timestamp`); without a timestamp, the event happened
    when we received it. A correction that leaves the calendar falls back to receipt.
    """
    if original is None:
        return received_at
    if sent_at is None:
        return original
    try:
        return received_at - (sent_at - original)
    except OverflowError:
        return received_at
