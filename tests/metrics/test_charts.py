"""The destination chart (timeseries) and the breakdown by event type and name."""

from __future__ import annotations

import pytest

from sluiceway.metrics import MetricsStore

from ._events import DESTINATION, T0, delivered, failed, filtered


def test_timeseries_buckets_delivered_failed_and_retried(store: MetricsStore) -> None:
    store.write(
        delivered("a", T0 + 10)
        + delivered("b", T0 + 310, retries=("503",))
        + failed("c", T0 + 320)
        + delivered("d", T0 + 1190)
    )

    series = store.timeseries(DESTINATION, T0, T0 + 1200, 300)

    assert [p.start for p in series.points] == [T0, T0 + 300, T0 + 600, T0 + 900]
    assert [(p.delivered, p.failed, p.retried) for p in series.points] == [(1, 0, 0), (1, 1, 1), (0, 0, 0), (1, 0, 0)]
    assert series.to_dict()["points"][1] == {
        "start": series.points[1].to_dict()["start"],
        "delivered": 1,
        "failed": 1,
        "retried": 1,
    }


def test_timeseries_filters_by_mapping(store: MetricsStore) -> None:
    store.write(delivered("a", T0, mappings=("map_orders", "map_signups")) + failed("b", T0, mapping="map_signups"))

    series = store.timeseries(DESTINATION, T0, T0 + 600, 600, mapping_id="map_orders")

    assert [(p.delivered, p.failed) for p in series.points] == [(1, 0)]


def test_timeseries_last_point_covers_a_partial_interval(store: MetricsStore) -> None:
    store.write(delivered("late", T0 + 1000))

    series = store.timeseries(DESTINATION, T0, T0 + 1020, 600)

    assert [p.delivered for p in series.points] == [0, 1]


@pytest.mark.parametrize(
    ("step_seconds", "message"),
    [
        (90, "step_seconds: must be a positive multiple of 60"),
        (0, "step_seconds: must be a positive multiple of 60"),
        (1260, "step_seconds: must not be longer than the time range"),
        (60.0, "step_seconds: must be an integer"),
    ],
)
def test_timeseries_validates_step_seconds(store: MetricsStore, step_seconds: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.timeseries(DESTINATION, T0, T0 + 1200, step_seconds)  # type: ignore[arg-type]


def test_breakdown_by_event_type_and_name(store: MetricsStore) -> None:
    store.write(
        delivered("a", T0)
        + delivered("b", T0)
        + failed("c", T0, name="Signed Up")
        + filtered("d", T0, name="Page Viewed")
    )

    breakdown = store.breakdown(DESTINATION, T0, T0 + 600)

    assert [(r.event_type, r.event_name) for r in breakdown.rows] == [
        ("track", "Order Completed"),
        ("track", "Page Viewed"),
        ("track", "Signed Up"),
    ]
    assert breakdown.row("track", "Order Completed").counts == {"routed": 2, "planned": 2, "successful_delivery": 2}
    assert breakdown.row("track", "Signed Up").counts["failed_delivery"] == 1
    assert breakdown.row("track", "Page Viewed").counts == {"routed": 1, "filtered_at_destination": 1}
    assert breakdown.to_dict()["rows"][0]["counts"]["routed"] == 2
