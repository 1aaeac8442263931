"""The per-event trace: every stage in pipeline order, with verdicts, payloads, retention."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sluiceway.metrics import MetricsStore, Outcome, Step
from sluiceway.metrics._schema import trace as trace_table

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
