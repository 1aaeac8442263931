"""Normalising remembers parsed and formatted timestamps; answers must not depend on
what was seen before (same instant in other zones, naive receipt times, repeats)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sluiceway import spec

TRACK = {"type": "track", "event": "E", "userId": "u"}


def _times(received: datetime, **fields: object) -> tuple[object, object, object]:
    out = spec.normalize(TRACK | fields, received_at=received)
    assert isinstance(out, dict)
    return out["receivedAt"], out["timestamp"], out.get("originalTimestamp")


def test_the_same_instant_written_in_other_zones_keeps_its_own_original() -> None:
    received = datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC)
    for _ in range(2):
        assert _times(received, timestamp="2026-11-22T08:00:00.000Z") == (
            "2026-11-22T10:00:00.123Z", "2026-11-22T08:00:00.000Z", "2026-11-22T08:00:00.000Z")
        assert _times(received, timestamp="2026-11-22T10:00:00+02:00") == (
            "2026-11-22T10:00:00.123Z", "2026-11-22T08:00:00.000Z", "2026-11-22T10:00:00+02:00")


def test_receipt_times_naive_aware_and_zoned_all_mean_their_own_instant() -> None:
    naive = datetime(2026, 11, 22, 10, 0, 0)
    zoned = datetime(2026, 11, 22, 10, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    for _ in range(2):
        assert _times(naive)[:2] == ("2026-11-22T10:00:00.000Z", "2026-11-22T10:00:00.000Z")
        assert _times(zoned)[:2] == ("2026-11-22T08:00:00.000Z", "2026-11-22T08:00:00.000Z")
        assert _times(naive.replace(tzinfo=UTC))[0] == "2026-11-22T10:00:00.000Z"


def test_sent_at_correction_uses_each_events_own_clock_skew() -> None:
    received = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
    for _ in range(2):
        assert _times(received, timestamp="2026-11-22T09:00:00Z", sentAt="2026-11-22T09:00:05Z")[1] == (
            "2026-11-22T09:59:55.000Z")
        assert _times(received, timestamp="2026-11-22T09:00:00Z", sentAt={"not": "a time"})[1] == (
            "2026-11-22T09:00:00.000Z")
        assert _times(received, timestamp=12345)[1:] == ("2026-11-22T10:00:00.000Z", 12345)
