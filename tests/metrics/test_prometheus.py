"""The /metrics text: parseable, all-time counters per step and reason, bounded labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from sluiceway.metrics import BufferedRecorder, MetricsStore, prometheus_text

from ._events import DESTINATION, SOURCE, T0, delivered, failed, filtered


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def events(step: str, reason: str = "", destination: str = DESTINATION) -> tuple[str, tuple[tuple[str, str], ...]]:
    labels = {"step": step, "reason": reason, "source_id": SOURCE, "destination_id": destination}
    return "sluiceway_events_total", tuple(sorted(labels.items()))


def test_text_parses_and_counts_per_step_and_reason(store: MetricsStore) -> None:
    store.write(delivered("a", T0) + delivered("b", T0 + 7200) + failed("c", T0, "429") + filtered("d", T0))
    store.write(failed("e", T0, "429"))

    found = samples(prometheus_text(store))

    assert found[events("routed")] == 5
    assert found[events("successful_delivery")] == 2
    assert found[events("failed_delivery", "429")] == 2
    assert found[events("filtered_at_destination", "NO_MATCHING_MAPPING")] == 1
    assert found[events("received", destination="")] == 5


def test_labels_never_carry_message_ids_or_event_names(store: MetricsStore) -> None:
    store.write(delivered("message-123", T0, name="Very Specific Event"))

    text = prometheus_text(store)

    assert "message-123" not in text and "Very Specific Event" not in text
    labels = {name for family in text_string_to_metric_families(text) for s in family.samples for name in s.labels}
    assert labels == {"step", "reason", "source_id", "destination_id"}


def test_recorder_health_is_exported(store: MetricsStore) -> None:
    recorder = BufferedRecorder(store, flush_interval=60)
    recorder.record(delivered("a", T0))

    found = samples(prometheus_text(store, recorder))

    assert found[("sluiceway_metrics_pending", ())] == 4
    assert found[("sluiceway_metrics_dropped_total", ())] == 0
    recorder.close()
    assert samples(prometheus_text(store, recorder))[("sluiceway_metrics_pending", ())] == 0


def test_an_empty_store_still_answers(store: MetricsStore) -> None:
    text = prometheus_text(store)

    assert "# TYPE sluiceway_events_total counter" in text
    assert samples(text) == {}
