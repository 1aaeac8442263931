"""The trace budget: every event under it; over it, a sample by messageId that keeps
every stage of a sampled event, in every writer, and never the problems."""

from __future__ import annotations

from sqlalchemy import select

from sluiceway.metrics import MetricsStore, Outcome, Step
from sluiceway.metrics._budget import LIVE_S, MAX_LEVEL, is_sampled, level_for
from sluiceway.metrics._schema import trace_rates

from ._events import NOW, T0, delivered, failed, filtered

BUDGET = 10
EVENTS = 100  # written at once: 100 events in the last second, 10 times the budget
LEVEL = 4  # 100 / 2**4 = 6.25 <= 10 < 100 / 2**3


def ids(sampled: bool, count: int = 1) -> list[str]:
    """Message ids that the sample at LEVEL keeps (or not)."""
    found = (f"m-{n}" for n in range(10_000) if is_sampled(f"m-{n}", LEVEL) == sampled)
    return [next(found) for _ in range(count)]


def busy_batch(*extra: list[Outcome]) -> list[Outcome]:
    """EVENTS delivered events, some of them the ones named by `extra`'s outcomes."""
    named = {o.message_id for outcomes in extra for o in outcomes}
    fillers = [f"filler-{n}" for n in range(EVENTS - len(named))]
    return [o for m in fillers for o in delivered(m, T0)] + [o for outcomes in extra for o in outcomes]


def test_the_level_is_the_fewest_halvings_within_the_budget() -> None:
    assert level_for(BUDGET, BUDGET) == 0
    assert level_for(EVENTS, BUDGET) == LEVEL
    assert level_for(2 * BUDGET, BUDGET) == 1
    assert level_for(1e30, BUDGET) == MAX_LEVEL


def test_a_smaller_sample_is_part_of_every_larger_one() -> None:
    for n in range(2_000):
        sampled = [is_sampled(f"id-{n}", level) for level in range(8)]
        assert sampled == sorted(sampled, reverse=True)  # once out, out at every higher level


def test_up_to_the_budget_every_event_is_traced(metrics_url: str) -> None:
    store = MetricsStore.open(metrics_url, trace_budget=EVENTS, clock=lambda: NOW)
    store.write(busy_batch())  # exactly the budget

    assert all(len(store.trace(f"filler-{n}").stages) == 4 for n in range(EVENTS))
    store.close()


def test_over_the_budget_a_sampled_out_event_has_no_trace_but_a_failed_one_does(metrics_url: str) -> None:
    store = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    kept, dropped, refused, discarded = ids(True) + ids(False, 3)
    store.write(busy_batch(
        delivered(kept, T0), delivered(dropped, T0), failed(refused, T0), filtered(discarded, T0)
    ))

    assert [str(s.step) for s in store.trace(kept).stages] == [
        "received", "routed", "planned", "successful_delivery"
    ]
    assert not store.trace(dropped).found
    # A problem keeps its own stage and every stage of its event written with it.
    assert [str(s.step) for s in store.trace(refused).stages] == [
        "received", "routed", "planned", "failed_delivery"
    ]
    assert store.trace(discarded).stages[-1].reason == "NO_MATCHING_MAPPING"
    # Counts are never sampled.
    assert store.source_overview("src_web", T0, T0 + 600).step("received").count == EVENTS
    store.close()


def test_a_retry_is_traced_whatever_the_level(metrics_url: str) -> None:
    store = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    dropped = ids(False)[0]
    retried = [o for o in delivered(dropped, T0, retries=("503",)) if o.step is Step.PENDING_RETRY]
    store.write(busy_batch(retried))

    assert [s.reason for s in store.trace(dropped).stages] == ["503"]
    store.close()


def test_an_event_written_in_two_writes_counts_once(metrics_url: str) -> None:
    # The router's stages of an event are often flushed just after its "received": that
    # is still one event a second, not two.
    store = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    events = [delivered(f"m-{n}", T0) for n in range(BUDGET)]
    store.write([stages[0] for stages in events])

    store.write([o for stages in events for o in stages[1:]])

    assert all(len(store.trace(f"m-{n}").stages) == 4 for n in range(BUDGET))
    store.close()


def test_writers_sharing_a_database_sample_at_the_busiest_ones_level(metrics_url: str) -> None:
    # An API process records "received" at full rate; a worker writes few outcomes: it
    # must still drop the later stages of the events the API process left out.
    api = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    worker = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    kept, dropped = ids(True)[0], ids(False)[0]
    api.write(busy_batch([o for m in (kept, dropped) for o in delivered(m, T0) if o.step is Step.RECEIVED]))

    worker.write([o for m in (kept, dropped) for o in delivered(m, T0) if o.step is Step.SUCCESSFUL_DELIVERY])

    assert [str(s.step) for s in worker.trace(kept).stages] == ["received", "successful_delivery"]
    assert not worker.trace(dropped).found
    api.close()
    worker.close()


def test_a_writer_gone_quiet_stops_counting_and_is_pruned(metrics_url: str) -> None:
    clock = [NOW]
    busy = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: NOW)
    later = MetricsStore.open(metrics_url, trace_budget=BUDGET, clock=lambda: clock[0])
    busy.write(busy_batch())
    dropped = ids(False)[0]

    clock[0] = NOW + LIVE_S + 1
    later.write(delivered(dropped, T0))
    later.prune()

    assert len(later.trace(dropped).stages) == 4
    with later.engine.connect() as connection:
        writers = connection.execute(select(trace_rates.c.writer)).scalars().all()
    assert writers == [later._budget.writer]
    busy.close()
    later.close()


def test_no_budget_traces_everything_at_any_rate(metrics_url: str) -> None:
    store = MetricsStore.open(metrics_url, trace_budget=None, clock=lambda: NOW)
    dropped = ids(False)[0]
    store.write(busy_batch(delivered(dropped, T0)))

    assert len(store.trace(dropped).stages) == 4
    store.close()
