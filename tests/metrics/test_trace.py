"""The per-event trace: every stage in pipeline order, with verdicts, payloads, retention."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sluiceway.metrics import MetricsStore, Outcome, Step
from sluiceway.metrics._schema import trace as trace_table
from sluiceway.metrics._writer import TRACE_ROWS_PER_INSERT, encode_payload

from ._events import DESTINATION, NOW, SOURCE, T0, delivered, failed, filtered


def test_trace_lists_the_stages_in_pipeline_order_with_verdicts(store: MetricsStore) -> None:
    outcomes = delivered("m-1", T0, retries=("503",))
    # Stages arrive out of order and on different clocks: delivery first, ingest last.
    store.write(outcomes[::-1])

    trace = store.trace("m-1")

    assert [(s.step, s.verdict, s.reason) for s in trace.stages] == [
        (Step.RECEIVED, "accepted", None),
        (Step.ROUTED, "routed", None),
        (Step.PLANNED, "planned", None),
        (Step.PENDING_RETRY, "retrying", "503"),
        (Step.SUCCESSFUL_DELIVERY, "delivered", None),
    ]
    assert trace.stages[0].payload["messageId"] == "m-1"
    assert trace.stages[2].payload == {"payload": {"text": "Order Completed"}}
    assert (trace.stages[1].source_id, trace.stages[1].destination_id) == (SOURCE, DESTINATION)


def test_trace_shows_where_a_dropped_event_stopped(store: MetricsStore) -> None:
    store.write(filtered("dropped", T0, reason="FILTERED_BY_RULES") + failed("refused", T0, "401"))

    dropped, refused = store.trace("dropped"), store.trace("refused")

    assert [(s.verdict, s.reason) for s in dropped.stages][-1] == ("discarded", "FILTERED_BY_RULES")
    assert refused.stages[-1].to_dict()["detail"] == "vendor answered 401"
    assert refused.stages[-1].mapping_id == "map_orders"


def test_unknown_message_has_an_empty_trace(store: MetricsStore) -> None:
    store.write(delivered("known", T0))

    unknown = store.trace("unknown")

    assert not unknown.found
    assert unknown.to_dict() == {"message_id": "unknown", "stages": []}


def test_outcomes_without_a_message_id_are_counted_but_not_traced(store: MetricsStore) -> None:
    store.write([Outcome(Step.FAILED_DELIVERY, T0, destination_id=DESTINATION, reason="MALFORMED_DELIVERY")])

    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(trace_table)).scalar() == 0
    assert store.overview(DESTINATION, T0, T0 + 600).step("failed_delivery").count == 1


def test_trace_rows_older_than_the_retention_are_pruned(tmp_path) -> None:
    store = MetricsStore.open(
        f"sqlite:///{tmp_path / 'm.db'}", trace_retention_s=600, clock=lambda: NOW
    )
    store.write(delivered("old", NOW - 700) + delivered("recent", NOW - 599))

    assert not store.trace("old").found
    assert store.trace("recent").found
    store.close()


def test_trace_keeps_only_the_newest_rows_beyond_the_cap(tmp_path) -> None:
    store = MetricsStore.open(f"sqlite:///{tmp_path / 'm.db'}", trace_cap=6, clock=lambda: NOW)
    store.write(delivered("first", T0))  # 4 rows
    store.write(delivered("second", T0) + delivered("third", T0))  # 8 more

    store.prune()

    assert not store.trace("first").found
    assert len(store.trace("second").stages) == 2  # its last two stages survive
    assert len(store.trace("third").stages) == 4
    store.close()


def test_tracing_can_be_turned_off(tmp_path) -> None:
    store = MetricsStore.open(f"sqlite:///{tmp_path / 'm.db'}", trace=False, clock=lambda: NOW)
    store.write(delivered("m", T0))

    assert not store.trace("m").found
    assert store.overview(DESTINATION, T0, T0 + 600).step("successful_delivery").count == 1
    store.close()


@pytest.mark.parametrize("message_id", ["", None, "x" * 201])
def test_trace_validates_the_message_id(store: MetricsStore, message_id: object) -> None:
    with pytest.raises(ValueError, match="message_id: must be"):
        store.trace(message_id)  # type: ignore[arg-type]


def _stored_payloads(store: MetricsStore, message_id: str) -> list[str | None]:
    with store.engine.connect() as connection:
        return connection.execute(
            select(trace_table.c.payload).where(trace_table.c.message_id == message_id).order_by(trace_table.c.id)
        ).scalars().all()


def test_stages_sharing_one_sample_object_each_show_it(store: MetricsStore) -> None:
    # The router hands the same event object to "routed" and "filtered": the writer
    # encodes it once for both rows (identity), which must not leak into other rows.
    event = {"type": "track", "messageId": "shared", "event": "Order Completed"}
    other = {"payload": {"text": "changed"}}
    store.write([
        Outcome(Step.ROUTED, T0, source_id=SOURCE, destination_id=DESTINATION, message_id="shared", sample=event),
        Outcome(Step.FILTERED_AT_DESTINATION, T0, source_id=SOURCE, destination_id=DESTINATION,
                reason="FILTERED_BY_RULES", message_id="shared", sample=event),
        Outcome(Step.ROUTED, T0, source_id=SOURCE, destination_id="dst_other", message_id="shared", sample=other),
        Outcome(Step.PLANNED, T0, source_id=SOURCE, destination_id="dst_other", message_id="shared", sample=None),
        Outcome(Step.SUCCESSFUL_DELIVERY, T0, source_id=SOURCE, destination_id="dst_other",
                message_id="shared", sample=event),
    ])

    stages = store.trace("shared").stages

    assert [(s.step, s.destination_id, s.payload) for s in stages] == [
        (Step.ROUTED, DESTINATION, event),
        (Step.ROUTED, "dst_other", other),
        (Step.FILTERED_AT_DESTINATION, DESTINATION, event),
        (Step.PLANNED, "dst_other", None),
        (Step.SUCCESSFUL_DELIVERY, "dst_other", event),
    ]


def test_equal_but_distinct_samples_are_stored_as_they_are(store: MetricsStore) -> None:
    # Equal in Python, not in JSON: only the same object may reuse an encoding.
    first, second = {"n": 1}, {"n": 1.0}
    changed = {"n": 2}
    store.write([
        Outcome(Step.RECEIVED, T0, source_id=SOURCE, message_id="equal", sample=first),
        Outcome(Step.ROUTED, T0, source_id=SOURCE, destination_id=DESTINATION, message_id="equal", sample=second),
        Outcome(Step.PLANNED, T0, source_id=SOURCE, destination_id=DESTINATION, message_id="equal", sample=changed),
    ])

    assert _stored_payloads(store, "equal") == ['{"n":1}', '{"n":1.0}', '{"n":2}']
    assert [s.payload for s in store.trace("equal").stages] == [first, second, changed]


@pytest.mark.parametrize(
    "sample",
    [
        {"plain": "ascii", "n": [1, 2.5, None, True]},
        {"wide": "é" * 16_000},  # 2 bytes a character: 32 KB, on the fast path
        {"wide": "€" * 17_000},  # more characters than the fast path takes: 51 KB, stored whole
        {"big": "x" * 70_000},  # over MAX_PAYLOAD_BYTES: the truncated preview
        {"emoji": "😀" * 20_000},  # 80 KB of 4-byte characters: truncated too
        {1: "non-str key", "when": object},  # the lenient encoding
        {"huge_int": 2**70},  # unencodable: the repr preview
        "just a string",
    ],
)
def test_trace_payloads_are_the_writers_one_encoding(store: MetricsStore, sample: object) -> None:
    # The trace encodes on a fast path of its own; it must store exactly encode_payload's text.
    store.write([Outcome(Step.RECEIVED, T0, source_id=SOURCE, message_id="enc", sample=sample)])

    assert _stored_payloads(store, "enc") == [encode_payload(sample)]


def test_trace_rows_roll_back_with_their_batch(store: MetricsStore, monkeypatch) -> None:
    # The trace goes through the driver's own cursor: it must stay in the batch's transaction.
    def fail(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("sluiceway.metrics._writer.prune", fail)  # runs after the rows, same transaction
    with pytest.raises(RuntimeError, match="disk full"):
        store.prune()  # a write that prunes whatever the interval
    with pytest.raises(RuntimeError, match="disk full"):
        store.write(delivered("lost", T0))
    monkeypatch.undo()

    assert not store.trace("lost").found


# delivered() gives 4 rows per event: less than one INSERT, exactly two, two and 12 rows.
@pytest.mark.parametrize("events", [TRACE_ROWS_PER_INSERT // 5, TRACE_ROWS_PER_INSERT // 2, TRACE_ROWS_PER_INSERT // 2 + 3])
def test_every_row_of_a_batch_lands_whole_and_in_order(store: MetricsStore, events: int) -> None:
    # Rows go in several to an INSERT (4 stages per event): whole statements, an exact
    # multiple, and a remainder must all keep each row's own values and the batch order.
    batch = [outcome for n in range(events) for outcome in delivered(f"m-{n}", T0 + n)]

    store.write(batch)

    for n in (0, events // 2, events - 1):
        stages, sent = store.trace(f"m-{n}").stages, delivered(f"m-{n}", T0 + n)
        assert [(s.step, s.at, s.payload) for s in stages] == [(o.step, o.at, o.sample) for o in sent]
    with store.engine.connect() as connection:
        ids = connection.execute(
            select(trace_table.c.message_id, trace_table.c.step).order_by(trace_table.c.id)
        ).all()
    assert ids == [(o.message_id, str(o.step)) for o in batch]
