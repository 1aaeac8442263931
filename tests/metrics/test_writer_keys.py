"""The writer counts on raw attributes and turns them into column text afterwards:
values that become the same text must land in the same row, as they always did."""

from __future__ import annotations

from sqlalchemy import select

from sluiceway.metrics import MetricsStore, Outcome, Step
from sluiceway.metrics import _schema as tables
from sluiceway.metrics._writer import encode_payload

from ._events import T0


def test_none_and_empty_and_cut_ids_share_one_count_row(store: MetricsStore) -> None:
    long_id = "d" * 250
    store.write([
        Outcome(Step.ROUTED, T0, source_id="src", destination_id=long_id, reason=None, message_id="m1"),
        Outcome(Step.ROUTED, T0 + 1, source_id="src", destination_id="d" * 200, reason="", message_id="m2"),
    ])
    store.write([Outcome(Step.ROUTED, T0 + 2, source_id="src", destination_id=long_id, message_id="m3")])

    with store.engine.connect() as connection:
        counts = connection.execute(select(tables.counts.c.destination_id, tables.counts.c.reason,
                                           tables.counts.c.count)).all()
        totals = connection.execute(select(tables.totals.c.count)).all()
        traced = connection.execute(select(tables.trace.c.destination_id)).scalars().all()
    assert counts == [("d" * 200, "", 3)]
    assert totals == [(3,)]
    assert traced == ["d" * 200] * 3


def test_payload_encoding_is_unchanged_by_the_plain_first_attempt() -> None:
    assert encode_payload({"a": 1, "b": [1.5, None]}) == '{"a":1,"b":[1.5,null]}'
    assert encode_payload({1: "x", "y": {2: 3}}) == '{"1":"x","y":{"2":3}}'
    assert encode_payload({"when": object}) == '{"when":"<class \'object\'>"}'
    assert encode_payload({"big": 2**70}).startswith('{"unencodable":')
