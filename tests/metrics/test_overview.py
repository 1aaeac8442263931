"""Delivery Overview: counts per step and reason, samples, % change, mappings, windows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sluiceway.metrics import MetricsStore, Outcome, Step

from ._events import DESTINATION, SOURCE, T0, delivered, failed, filtered, received, rejected

WINDOW = (T0, T0 + 3600)


def test_counts_every_step_and_reason_of_a_realistic_mix(store: MetricsStore) -> None:
    outcomes: list[Outcome] = []
    for i in range(6):
        outcomes += delivered(f"ok-{i}", T0 + 60 * i)
    outcomes += delivered("retried", T0 + 30, retries=("503", "429"))
    outcomes += failed("bad-1", T0 + 40, "400") + failed("bad-2", T0 + 50, "400") + failed("bad-3", T0 + 55, "404")
    outcomes += filtered("f-1", T0 + 5) + filtered("f-2", T0 + 6, reason="FILTERED_BY_RULES")
    store.write(outcomes)

    overview = store.overview(DESTINATION, *WINDOW)

    counts = {step.key: step.count for step in overview.steps}
    assert counts == {
        "successfully_received": 12,
        "filtered_at_destination": 2,
        "mapping_selector": 10,
        "pending_retry": 2,
        "failed_delivery": 3,
        "successful_delivery": 7,
    }
    failures = overview.step("failed_delivery")
    assert [(r.reason, r.count) for r in failures.reasons] == [("400", 2), ("404", 1)]
    assert {(r.reason, r.count) for r in overview.step("pending_retry").reasons} == {("503", 1), ("429", 1)}
    assert overview.step("filtered_at_destination").reason("FILTERED_BY_RULES").count == 1
    assert overview.step("successful_delivery").percent == round(7 * 100 / 12, 2)
    assert overview.step("successfully_received").percent == 100.0


def test_a_failure_sample_carries_the_payload_and_detail(store: MetricsStore) -> None:
    store.write(failed("bad-1", T0 + 40, "400"))

    (sample,) = store.overview(DESTINATION, *WINDOW).step("failed_delivery").reason("400").samples

    assert (sample.message_id, sample.mapping_id, sample.detail) == ("bad-1", "map_orders", "vendor answered 400")
    assert sample.payload == {"request": {"message": "bad-1"}}
    assert sample.to_dict()["at"] == datetime.fromtimestamp(T0 + 41, UTC).isoformat().replace("+00:00", ".000Z")


def test_samples_are_capped_at_ten_and_keep_the_most_recent(store: MetricsStore) -> None:
    # Written over several flushes, out of time order within a flush.
    for flush in range(3):
        batch = []
        for i in reversed(range(8)):
            n = flush * 8 + i
            batch += filtered(f"f-{n:02d}", T0 + n)
        store.write(batch)

    reason = store.overview(DESTINATION, *WINDOW).step("filtered_at_destination").reason("NO_MATCHING_MAPPING")

    assert reason.count == 24
    assert [s.message_id for s in reason.samples] == [f"f-{n:02d}" for n in range(23, 13, -1)]


def test_percent_change_compares_with_the_previous_window_of_equal_length(store: MetricsStore) -> None:
    before, now = T0 - 1800, T0 + 600
    outcomes: list[Outcome] = []
    for i in range(4):
        outcomes += failed(f"old-{i}", before + i, "400")
    outcomes += filtered("old-f", before)
    for i in range(6):
        outcomes += failed(f"new-{i}", now + i, "400")
    outcomes += failed("new-503", now, "503")
    store.write(outcomes)

    overview = store.overview(DESTINATION, *WINDOW)

    failures = overview.step("failed_delivery")
    assert (failures.count, failures.previous_count, failures.percent_change) == (7, 4, 75.0)
    assert failures.reason("400").percent_change == 50.0
    assert failures.reason("503").percent_change is None  # nothing to compare with
    gone = overview.step("filtered_at_destination")
    assert (gone.count, gone.previous_count, gone.percent_change) == (0, 1, -100.0)


def test_mapping_filter_keeps_that_mapping_and_the_destination_wide_steps(store: MetricsStore) -> None:
    outcomes = delivered("both", T0, mappings=("map_orders", "map_signups"))
    outcomes += failed("bad", T0, "400", mapping="map_signups")
    outcomes += filtered("f", T0)
    store.write(outcomes)

    everything = store.overview(DESTINATION, *WINDOW)
    orders = store.overview(DESTINATION, *WINDOW, mapping_id="map_orders")

    assert everything.step("mapping_selector").count == 3
    assert {m.mapping_id: m.count for m in everything.step("mapping_selector").mappings} == {
        "map_signups": 2,
        "map_orders": 1,
    }
    assert orders.step("mapping_selector").count == 1
    assert orders.step("failed_delivery").count == 0
    assert orders.step("successful_delivery").count == 1
    assert orders.step("successfully_received").count == 3  # routed: before any mapping
    assert orders.step("filtered_at_destination").count == 1
    assert orders.to_dict()["mapping_id"] == "map_orders"


def test_window_covers_every_minute_it_overlaps_and_excludes_its_end(store: MetricsStore) -> None:
    start, end = T0 + 90, T0 + 1260  # 19.5 minutes, starting mid-minute
    store.write(
        delivered("too-early", T0 + 59)
        + delivered("start-minute", T0 + 60)
        + delivered("last-second", end - 1)
        + delivered("at-end", end)
    )

    routed = store.overview(DESTINATION, start, end).step("successfully_received")

    # T0+60 shares the minute `start` falls in; `end` opens the next window.
    assert routed.count == 2
    assert store.overview(DESTINATION, end, end + 600).step("successfully_received").count == 1


def test_other_destinations_do_not_leak_in(store: MetricsStore) -> None:
    store.write(delivered("mine", T0) + delivered("theirs", T0, destination="dst_other"))

    assert store.overview(DESTINATION, *WINDOW).step("successfully_received").count == 1
    assert store.overview("dst_other", *WINDOW).step("successful_delivery").count == 1


def test_source_overview_counts_received_and_failed_on_ingest_by_reason(store: MetricsStore) -> None:
    outcomes = [received(f"r-{i}", T0 + i) for i in range(8)]
    outcomes += [rejected("big-1", T0), rejected("big-2", T0 + 1), rejected("bad", T0, "invalid_type")]
    store.write(outcomes)

    overview = store.source_overview(SOURCE, *WINDOW)

    assert [(s.key, s.count) for s in overview.steps] == [("received", 8), ("failed_on_ingest", 3)]
    failed_on_ingest = overview.step("failed_on_ingest")
    assert [(r.reason, r.count) for r in failed_on_ingest.reasons] == [("message_too_large", 2), ("invalid_type", 1)]
    assert [s.message_id for s in failed_on_ingest.reason("message_too_large").samples] == ["big-2", "big-1"]
    assert failed_on_ingest.percent == round(3 * 100 / 11, 2)
    assert store.source_overview("src_other", *WINDOW).step("received").count == 0


def test_to_dict_is_json_ready(store: MetricsStore) -> None:
    import orjson

    store.write(failed("bad", T0) + filtered("f", T0))

    data = orjson.loads(orjson.dumps(store.overview(DESTINATION, *WINDOW).to_dict()))

    assert data["start"] == datetime.fromtimestamp(T0, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert data["steps"][4]["reasons"][0]["samples"][0]["payload"] == {"request": {"message": "bad"}}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (T0, T0 + 599, "end: the range must be at least 10 minutes"),
        (T0, T0 + 14 * 86400 + 1, "end: the range must be at most 2 weeks"),
        (T0, T0 - 600, "end: must be after start"),
        (datetime(2026, 1, 1), datetime(2026, 1, 2), "start: a datetime must carry a timezone"),
        ("yesterday", T0, "start: must be a timezone-aware datetime or epoch seconds"),
        (float("nan"), T0, "start: epoch seconds must be a finite number"),
    ],
)
def test_time_ranges_are_validated(store: MetricsStore, start: object, end: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.overview(DESTINATION, start, end)  # type: ignore[arg-type]


def test_accepts_aware_datetimes_and_the_extreme_lengths(store: MetricsStore) -> None:
    store.write(delivered("ok", T0))
    start = datetime.fromtimestamp(T0, UTC)

    assert store.overview(DESTINATION, start, datetime.fromtimestamp(T0 + 600, UTC)).steps[0].count == 1
    assert store.overview(DESTINATION, T0, T0 + 14 * 86400).steps[0].count == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"destination_id": ""}, "destination_id: must be a non-empty string"),
        ({"destination_id": None}, "destination_id: must be a non-empty string"),
        ({"mapping_id": ""}, "mapping_id: must be a non-empty string"),
    ],
)
def test_ids_are_validated(store: MetricsStore, arguments: dict, message: str) -> None:
    call = {"destination_id": DESTINATION, "start": T0, "end": T0 + 600, **arguments}
    with pytest.raises(ValueError, match=message):
        store.overview(**call)


def test_steps_follow_the_pipeline_order(store: MetricsStore) -> None:
    steps = [s.step for s in store.overview(DESTINATION, *WINDOW).steps]

    assert steps == [
        Step.ROUTED,
        Step.FILTERED_AT_DESTINATION,
        Step.PLANNED,
        Step.PENDING_RETRY,
        Step.FAILED_DELIVERY,
        Step.SUCCESSFUL_DELIVERY,
    ]
