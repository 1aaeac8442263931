"""The source debugger: the newest events per source, limited, searchable."""

from __future__ import annotations

import pytest

from sluiceway.metrics import MetricsStore, Outcome

from ._events import NOW, SOURCE, T0, received, rejected


def test_newest_first_and_limited(store: MetricsStore) -> None:
    store.write([received(f"m-{i}", T0 + i) for i in range(5)])
    store.write([received(f"m-{i}", T0 + i) for i in range(5, 8)])

    entries = store.recent_events(SOURCE, limit=4)

    assert [e.message_id for e in entries] == ["m-7", "m-6", "m-5", "m-4"]
    assert entries[0].event == {"type": "track", "messageId": "m-7", "userId": "user-m-7", "event": "Order Completed"}


def test_rejected_events_show_their_verdict_and_reason(store: MetricsStore) -> None:
    store.write([received("ok", T0), rejected("big", T0 + 1)])

    newest, oldest = store.recent_events(SOURCE)

    assert (newest.verdict, newest.reason, newest.detail) == ("rejected", "message_too_large", "the message is over 32 KB")
    assert (oldest.verdict, oldest.reason) == ("accepted", None)
    assert newest.to_dict()["step"] == "failed_on_ingest"


def test_search_is_a_case_insensitive_substring_of_the_event_json(store: MetricsStore) -> None:
    store.write(
        [
            received("a", T0, name="Order Completed"),
            received("b", T0 + 1, name="Signed Up"),
            received("c", T0 + 2, name="100% off_sale"),
            received("d", T0 + 3, kind="identify"),
        ]
    )

    def found(query: str) -> list[str | None]:
        return [e.message_id for e in store.recent_events(SOURCE, query=query)]

    assert found("order completed") == ["a"]
    assert found('"type":"identify"') == ["d"]
    assert found("user-b") == ["b"]
    assert found("100%") == ["c"]  # LIKE wildcards are matched literally
    assert found("_sale") == ["c"]
    assert found("nothing like it") == []


def test_each_source_keeps_its_newest_entries(tmp_path) -> None:
    store = MetricsStore.open(f"sqlite:///{tmp_path / 'm.db'}", debugger_size=5, clock=lambda: NOW)
    for flush in range(3):
        store.write([received(f"m-{flush * 4 + i}", T0 + flush * 4 + i) for i in range(4)])
    other = received("other", T0)
    store.write([Outcome(other.step, other.at, source_id="src_app", message_id="other", sample=other.sample)])

    assert [e.message_id for e in store.recent_events(SOURCE, limit=5)] == ["m-11", "m-10", "m-9", "m-8", "m-7"]
    assert [e.message_id for e in store.recent_events("src_app", limit=5)] == ["other"]
    with pytest.raises(ValueError, match="limit: must be an integer from 1 to 5"):
        store.recent_events(SOURCE, limit=6)
    store.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": 0}, "limit: must be an integer from 1 to 200"),
        ({"limit": "10"}, "limit: must be an integer"),
        ({"query": ""}, "query: must be a string of 1 to 200 characters"),
        ({"query": "x" * 201}, "query: must be a string"),
        ({"source_id": ""}, "source_id: must be a non-empty string"),
    ],
)
def test_arguments_are_validated(store: MetricsStore, arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.recent_events(**{"source_id": SOURCE, **arguments})
