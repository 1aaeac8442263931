"""Reading ISO-8601 leniently, writing it one way, and Segment's skew correction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sluiceway import spec

MOMENT = datetime(2015, 12, 10, 4, 8, 31, 909_000, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "2015-12-10T04:08:31.909Z",
    "2015-12-10T04:08:31.909z",
    "2015-12-10T04:08:31.909+00:00",
    "2015-12-10T06:08:31.909+02:00",
    "2015-12-10T06:08:31.909+0200",
    "2015-12-09T23:08:31.909-05:00",
    "2015-12-10T04:08:31.909999Z",  # microseconds are cut, not rounded up
    "2015-12-10T04:08:31.909123456Z",  # nanoseconds from Go or Java clients
    "2015-12-10 04:08:31.909",  # no offset: UTC
    " 2015-12-10T04:08:31.909Z ",
])
def test_lenient_forms_of_one_moment(text: str) -> None:
    assert spec.parse_timestamp(text) == MOMENT


@pytest.mark.parametrize(("text", "expected"), [
    ("2015-12-10T04:08:31Z", datetime(2015, 12, 10, 4, 8, 31, tzinfo=UTC)),
    ("2015-12-10", datetime(2015, 12, 10, tzinfo=UTC)),
    ("2015-2-02T00:30:08.276Z", datetime(2015, 2, 2, 0, 30, 8, 276_000, tzinfo=UTC)),
    ("2015-2-2T3:04:05+01:00", datetime(2015, 2, 2, 2, 4, 5, tzinfo=UTC)),
])
def test_forms_without_milliseconds_or_padding(text: str, expected: datetime) -> None:
    """The unpadded month is from Segment's own HTTP API batch example."""
    assert spec.parse_timestamp(text) == expected


@pytest.mark.parametrize("value", [
    "", "yesterday", "2015-13-01T00:00:00Z", "2015-02-30", "2015-12-10T25:00:00Z",
    "2015-12-10T04:08:31+25:00", 1449720511909, None, True, {"t": 1},
    "0001-01-01T00:00:00+01:00",  # one hour before the calendar begins
])
def test_what_is_not_a_timestamp(value: object) -> None:
    assert spec.parse_timestamp(value) is None


def test_format_is_utc_with_milliseconds_and_z() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 6_789, tzinfo=timezone(timedelta(hours=-3)))
    assert spec.format_timestamp(moment) == "2026-01-02T06:04:05.006Z"
    assert spec.format_timestamp(datetime(2026, 1, 2)) == "2026-01-02T00:00:00.000Z"


def test_format_sorts_like_time() -> None:
    """The FQL `received_at >= '...'` migration recipe compares these as strings."""
    moments = [MOMENT + timedelta(milliseconds=ms) for ms in (-86_400_000, -1, 0, 1, 999, 1000)]
    texts = [spec.format_timestamp(moment) for moment in moments]
    assert texts == sorted(texts)


def test_correction_rule_cases() -> None:
    received = MOMENT
    original = MOMENT - timedelta(hours=5)
    sent = MOMENT - timedelta(hours=4)
    assert spec.corrected_timestamp(received, original, sent) == MOMENT - timedelta(hours=1)
    assert spec.corrected_timestamp(received, original, None) == original
    assert spec.corrected_timestamp(received, None, sent) == received


moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=200)
@given(moments)
def test_format_then_parse_round_trips_to_the_millisecond(moment: datetime) -> None:
    parsed = spec.parse_timestamp(spec.format_timestamp(moment))
    assert parsed == moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@settings(max_examples=200)
@given(moments, moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_corrected_time_keeps_the_clients_measured_delay(
    received: datetime, original: datetime, delay: timedelta
) -> None:
    """Whatever the client's clock says, event-to-send delay is preserved before receipt."""
    sent = original + delay
    corrected = spec.corrected_timestamp(received, original, sent)
    assert received - corrected == delay
