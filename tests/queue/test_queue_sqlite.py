"""The SQLite backend's semantics: JetStream-like streams and durable pull consumers."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType

import pytest

from sluiceway.queue import ConsumerConfig, Delivery, QueueError, SqliteBroker, _sqlite_schema


async def test_publish_returns_consecutive_sequences_and_fetch_returns_them_in_order(
    open_broker,
) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        assert await stream.publish([b"a", b"b"]) == [1, 2]
        assert await stream.publish([{"n": 3}]) == [3]
        deliveries = await consumer.fetch(10)
    assert [d.id for d in deliveries] == [1, 2, 3]
    assert [d.data for d in deliveries[:2]] == [b"a", b"b"]
    assert deliveries[2].json() == {"n": 3}
    assert {d.attempt for d in deliveries} == {1}
    assert {(d.stream, d.consumer, d.subject) for d in deliveries} == {("events", "dest", "events")}


async def test_publish_nothing_is_a_no_op(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        assert await stream.publish([]) == []
        assert (await stream.info()).last_seq == 0


async def test_every_payload_kind_is_stored_as_given(open_broker) -> None:
    """Plain dicts take a shortcut past the Mapping check: other kinds still work."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("c")
        await stream.publish([b"raw", bytearray(b"ba"), memoryview(b"mv"), {"a": 1},
                              OrderedDict(b=2), MappingProxyType({"c": 3})])
        stored = [d.data for d in await consumer.fetch(10)]
    assert stored == [b"raw", b"ba", b"mv", b'{"a":1}', b'{"b":2}', b'{"c":3}']


async def test_first_enqueued_at_is_publish_time_and_survives_redelivery(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=5))
        published_at = clock()
        await stream.publish([b"x"])
        clock.advance(60)
        (first,) = await consumer.fetch(1)
        clock.advance(6)
        (again,) = await consumer.fetch(1)
    assert first.first_enqueued_at == again.first_enqueued_at == published_at
    assert (first.attempt, again.attempt) == (1, 2)


async def test_fetch_respects_batch_and_continues_where_it_stopped(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        await stream.publish([str(n).encode() for n in range(10)])
        first = await consumer.fetch(4)
        second = await consumer.fetch(4)
        third = await consumer.fetch(4)
        assert await consumer.fetch(4) == []
    assert [[d.id for d in batch] for batch in (first, second, third)] == [
        [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]
    ]


async def test_acked_messages_are_never_delivered_again(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=1))
        await stream.publish([b"a", b"b"])
        first, second = await consumer.fetch(2)
        await consumer.ack(first)
        clock.advance(2)
        again = await consumer.fetch(10)
    assert [(d.id, d.attempt) for d in again] == [(second.id, 2)]


async def test_unacked_delivery_comes_back_after_ack_wait_not_before(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=30))
        await stream.publish([b"a"])
        await consumer.fetch(1)
        clock.advance(29.9)
        assert await consumer.fetch(1) == []
        clock.advance(0.2)
        (again,) = await consumer.fetch(1)
    assert again.attempt == 2


async def test_nak_redelivers_after_the_delay(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=300))
        await stream.publish([b"a", b"b"])
        first, second = await consumer.fetch(2)
        await consumer.nak(first, delay_s=10)
        await consumer.nak(second)
        (now,) = await consumer.fetch(10)
        clock.advance(10)
        (later,) = await consumer.fetch(10)
    assert (now.id, now.attempt) == (second.id, 2)
    assert (later.id, later.attempt) == (first.id, 2)


async def test_in_progress_restarts_the_ack_wait(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=10))
        await stream.publish([b"slow"])
        (delivery,) = await consumer.fetch(1)
        clock.advance(8)
        await consumer.in_progress(delivery)
        clock.advance(8)
        assert await consumer.fetch(1) == []
        clock.advance(3)
        assert [d.attempt for d in await consumer.fetch(1)] == [2]


async def test_backoff_sets_the_wait_of_each_attempt(open_broker, clock) -> None:
    config = ConsumerConfig(ack_wait_s=100, backoff_s=(1, 5))
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", config)
        await stream.publish([b"a"])
        attempts = []
        for step in (0, 1, 5, 5):
            clock.advance(step)
            attempts += [d.attempt for d in await consumer.fetch(1)]
    assert attempts == [1, 2, 3, 4]  # waits of 1 s, then 5 s repeating


async def test_term_stops_delivery_and_keeps_a_dead_letter(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=1))
        await stream.publish([{"bad": True}], subject="events.src")
        (delivery,) = await consumer.fetch(1)
        termed_at = clock()
        await consumer.term(delivery, reason="400 Bad Request from vendor")
        clock.advance(5)
        assert await consumer.fetch(1) == []
        (letter,) = await consumer.dead_letters()
        info = await consumer.info()
    assert (letter.message_id, letter.json()) == (1, {"bad": True})
    assert letter.reason == "400 Bad Request from vendor"
    assert (letter.attempts, letter.subject, letter.dead_at) == (1, "events.src", termed_at)
    assert info.num_dead_letters == 1
    assert info.num_ack_pending == 0


async def test_max_deliver_dead_letters_the_message(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=1, max_deliver=3))
        await stream.publish([b"poison", b"fine"])
        seen = []
        for _ in range(5):
            batch = await consumer.fetch(10)
            seen += [(d.id, d.attempt) for d in batch]
            await consumer.ack(*[d for d in batch if d.data == b"fine"])
            clock.advance(1.5)
        (letter,) = await consumer.dead_letters()
    assert [attempt for seq, attempt in seen if seq == 1] == [1, 2, 3]
    assert [attempt for seq, attempt in seen if seq == 2] == [1]
    assert (letter.message_id, letter.reason, letter.attempts) == (1, "max_deliver", 3)


async def test_dead_letters_page_and_can_be_discarded(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        await stream.publish([b"1", b"2", b"3"])
        await consumer.term(*await consumer.fetch(3), reason="x")
        first_page = await consumer.dead_letters(limit=2)
        second_page = await consumer.dead_letters(after_id=first_page[-1].id)
        removed = await consumer.discard_dead_letters(first_page[0].id, 999_999)
        remaining = await consumer.dead_letters()
    assert [d.data for d in first_page + second_page] == [b"1", b"2", b"3"]
    assert removed == 1
    assert [d.data for d in remaining] == [b"2", b"3"]


async def test_each_consumer_gets_every_message_independently(open_broker, clock) -> None:
    """Fan-out: one consumer per destination, each with its own position and acks."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        slack = await stream.consumer("slack", ConsumerConfig(ack_wait_s=1))
        hubspot = await stream.consumer("hubspot", ConsumerConfig(ack_wait_s=1))
        await stream.publish([b"a", b"b"])
        await slack.ack(*await slack.fetch(10))
        from_hubspot = await hubspot.fetch(1)
        clock.advance(2)
        assert await slack.fetch(10) == []
        again = await hubspot.fetch(10)
    assert [d.id for d in from_hubspot] == [1]
    assert [(d.id, d.attempt) for d in again] == [(1, 2), (2, 1)]


async def test_workers_sharing_a_consumer_never_get_the_same_message_at_once(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        await stream.consumer("dest")
        await stream.publish([str(n).encode() for n in range(300)])

        async def worker() -> list[int]:
            consumer = await stream.consumer("dest")
            taken: list[int] = []
            while batch := await consumer.fetch(7):
                taken += [d.id for d in batch]
                await consumer.ack(*batch)
            return taken

        results = await asyncio.gather(*(worker() for _ in range(4)))
    everything = [seq for taken in results for seq in taken]
    assert sorted(everything) == list(range(1, 301))


async def test_deliver_policy_new_starts_after_existing_messages(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        await stream.consumer("keeper")  # keeps the early messages retained
        await stream.publish([b"old"])
        newcomer = await stream.consumer("new", ConsumerConfig(deliver_policy="new"))
        everything = await stream.consumer("all", ConsumerConfig(deliver_policy="all"))
        await stream.publish([b"fresh"])
        assert [d.data for d in await newcomer.fetch(10)] == [b"fresh"]
        assert [d.data for d in await everything.fetch(10)] == [b"old", b"fresh"]


async def test_existing_consumer_keeps_its_position_and_takes_new_settings(open_broker, clock) -> None:
    """New settings apply to later deliveries; one already in flight keeps its deadline."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=100))
        await stream.publish([b"a", b"b"])
        await consumer.ack(*await consumer.fetch(1))
        await consumer.fetch(1)
        reopened = await stream.consumer("dest", ConsumerConfig(ack_wait_s=5, deliver_policy="all"))
        await stream.publish([b"c"])
        assert [d.data for d in await reopened.fetch(10)] == [b"c"]
        clock.advance(6)
        again = await reopened.fetch(10)
        info = await reopened.info()
    assert [(d.data, d.attempt) for d in again] == [(b"c", 2)]
    assert info.config.ack_wait_s == 5


async def test_subject_filters_exact_and_wildcards(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        exact = await stream.consumer("exact", ConsumerConfig(filter_subjects=("events.src1",)))
        tail = await stream.consumer("tail", ConsumerConfig(filter_subjects=("events.>",)))
        token = await stream.consumer("token", ConsumerConfig(filter_subjects=("events.*.eu",)))
        either = await stream.consumer(
            "either", ConsumerConfig(filter_subjects=("events.src2", "other.>"))
        )
        for subject in ("events.src1", "events.src2", "events.src3.eu", "other.x", "events"):
            await stream.publish([subject.encode()], subject=subject)
        got = {
            name: [d.subject for d in await consumer.fetch(10)]
            for name, consumer in (("exact", exact), ("tail", tail), ("token", token),
                                   ("either", either))
        }
    assert got == {
        "exact": ["events.src1"],
        "tail": ["events.src1", "events.src2", "events.src3.eu"],
        "token": ["events.src3.eu"],
        "either": ["events.src2", "other.x"],
    }


async def test_glob_characters_in_subjects_are_literal(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("c", ConsumerConfig(filter_subjects=("a?[b].>",)))
        await stream.publish([b"no"], subject="ax[b].c")
        await stream.publish([b"yes"], subject="a?[b].c")
        assert [d.data for d in await consumer.fetch(10)] == [b"yes"]


async def test_filtered_consumer_counts_only_matching_backlog(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("c", ConsumerConfig(filter_subjects=("events.a",)))
        await stream.publish([b"1", b"2"], subject="events.a")
        await stream.publish([b"3", b"4", b"5"], subject="events.b")
        assert (await consumer.info()).num_pending == 2
        await consumer.ack(*await consumer.fetch(10))
        info = await consumer.info()
    assert (info.num_pending, info.delivered_seq, info.ack_floor) == (0, 5, 5)


async def test_messages_are_deleted_once_every_consumer_finished_them(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        fast = await stream.consumer("fast")
        slow = await stream.consumer("slow")
        await stream.publish([b"1", b"2", b"3"])
        await fast.ack(*await fast.fetch(3))
        assert (await stream.info()).messages == 3
        one, two, three = await slow.fetch(3)
        await slow.ack(one, three)  # 2 still pending holds the floor at 1
        after_partial = await stream.info()
        await slow.ack(two)
        after_all = await stream.info()
    assert (after_partial.first_seq, after_partial.messages) == (2, 2)
    assert (after_all.first_seq, after_all.last_seq, after_all.messages) == (4, 3, 0)


async def test_dead_letters_do_not_hold_back_retention(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        await stream.publish([b"x"])
        await consumer.term(*await consumer.fetch(1), reason="r")
        assert (await stream.info()).messages == 0
        assert [d.data for d in await consumer.dead_letters()] == [b"x"]


async def test_without_consumers_nothing_is_retained(open_broker) -> None:
    """Interest retention: nobody is interested, so nothing is kept."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        await stream.publish([b"x", b"y"])
        info = await stream.info()
        late = await stream.consumer("late", ConsumerConfig(deliver_policy="all"))
        assert await late.fetch(10) == []
    assert (info.first_seq, info.last_seq, info.messages) == (3, 2, 0)


async def test_deleting_a_consumer_releases_what_it_held(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        done = await stream.consumer("done")
        stuck = await stream.consumer("stuck")
        await stream.publish([b"1", b"2"])
        await done.ack(*await done.fetch(2))
        await stuck.fetch(1)
        assert await stream.delete_consumer("stuck") is True
        assert await stream.delete_consumer("stuck") is False
        info = await stream.info()
        with pytest.raises(QueueError, match="deleted"):
            await stuck.fetch(1)
    assert (info.messages, info.consumers) == (0, ("done",))


async def test_consumer_info_counts(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=10))
        await stream.publish([str(n).encode() for n in range(10)])
        a, b, _, _ = await consumer.fetch(4)
        await consumer.ack(a)
        await consumer.nak(b)
        clock.advance(11)
        redelivered = await consumer.fetch(1)  # b again (due first), attempt 2
        info = await consumer.info()
    assert [x.id for x in redelivered] == [b.id]
    assert info.num_pending == 6  # never delivered: 5..10
    assert info.num_ack_pending == 3  # b, c, d
    assert info.num_in_flight == 1  # b, just redelivered; c and d timed out
    assert info.num_redelivered == 1
    assert (info.delivered_seq, info.ack_floor) == (4, 1)


async def test_fetch_waits_for_a_publish_and_wakes_at_once(open_broker) -> None:
    async with open_broker(clock=time.time) as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")

        async def publish_soon() -> None:
            await asyncio.sleep(0.05)
            await stream.publish([b"late"])

        started = time.monotonic()
        publisher = asyncio.create_task(publish_soon())
        deliveries = await consumer.fetch(10, wait_s=30)
        elapsed = time.monotonic() - started
        await publisher
    assert [d.data for d in deliveries] == [b"late"]
    assert elapsed < 10  # woken by the publish, not by the end of the wait


async def test_fetch_gives_up_after_wait(open_broker) -> None:
    async with open_broker(clock=time.time) as broker:
        consumer = await (await broker.stream("events")).consumer("dest")
        started = time.monotonic()
        assert await consumer.fetch(5, wait_s=0.2) == []
        assert 0.15 < time.monotonic() - started < 2


async def test_fetch_wait_returns_a_redelivery_when_it_falls_due(open_broker) -> None:
    async with open_broker(clock=time.time, poll_interval_s=60) as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=0.1))
        await stream.publish([b"x"])
        await consumer.fetch(1)
        started = time.monotonic()
        (again,) = await consumer.fetch(1, wait_s=30)
    assert again.attempt == 2
    assert time.monotonic() - started < 10  # woke at the due time, not the 60 s poll


async def test_publishes_persist_across_reopen(db_path: Path) -> None:
    async with await SqliteBroker.open(db_path) as broker:
        stream = await broker.stream("events")
        await stream.consumer("dest")
        await stream.publish([b"kept"])
    async with await SqliteBroker.open(db_path) as broker:
        consumer = await (await broker.stream("events")).consumer("dest")
        assert [d.data for d in await consumer.fetch(10)] == [b"kept"]


async def test_concurrent_publishes_share_commits(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        await stream.consumer("dest")
        before = broker.commits
        results = await asyncio.gather(*(stream.publish([b"m"]) for _ in range(200)))
        commits = broker.commits - before
    assert sorted(seq for ids in results for seq in ids) == list(range(1, 201))
    assert commits < 200


async def test_a_failing_operation_does_not_undo_its_neighbours(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        doomed = await stream.consumer("doomed")
        await stream.consumer("dest")
        await stream.delete_consumer("doomed")
        outcomes = await asyncio.gather(
            stream.publish([b"a"]), doomed.fetch(1), stream.publish([b"b"]),
            return_exceptions=True,
        )
        assert isinstance(outcomes[1], QueueError)
        assert (await stream.info()).messages == 2


async def test_ack_of_another_consumers_delivery_is_refused(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        mine = await stream.consumer("mine")
        theirs = await stream.consumer("theirs")
        await stream.publish([b"x"])
        (delivery,) = await theirs.fetch(1)
        with pytest.raises(QueueError, match="belongs to events/theirs"):
            await mine.ack(delivery)


@pytest.mark.parametrize("batch", [0, -1, 10_001])
async def test_fetch_batch_must_be_sensible(open_broker, batch: int) -> None:
    async with open_broker() as broker:
        consumer = await (await broker.stream("events")).consumer("dest")
        with pytest.raises(QueueError, match="batch"):
            await consumer.fetch(batch)


async def test_payloads_must_be_bytes_or_json_mappings(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        with pytest.raises(QueueError, match=r"messages\[1\] must be bytes or a mapping"):
            await stream.publish([b"ok", "text"])  # type: ignore[list-item]
        with pytest.raises(QueueError, match=r"messages\[0\] cannot be stored as JSON"):
            await stream.publish([{"when": object()}])
        assert (await stream.info()).last_seq == 0


async def test_bad_names_and_subjects_are_refused(open_broker) -> None:
    async with open_broker() as broker:
        with pytest.raises(QueueError, match="stream name"):
            await broker.stream("events.v1")
        stream = await broker.stream("events")
        with pytest.raises(QueueError, match="consumer name"):
            await stream.consumer("dest slack")
        with pytest.raises(QueueError, match="subject"):
            await stream.publish([b"x"], subject="events.*")


async def test_nak_delay_must_not_be_negative(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        await stream.publish([b"x"])
        (delivery,) = await consumer.fetch(1)
        with pytest.raises(QueueError, match="negative"):
            await consumer.nak(delivery, delay_s=-1)


async def test_closed_broker_refuses_work(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
    with pytest.raises(QueueError, match="closed"):
        await stream.publish([b"x"])


async def test_database_of_another_schema_version_is_refused(db_path: Path) -> None:
    async with await SqliteBroker.open(db_path):
        pass
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(QueueError, match="schema version 99"):
        await SqliteBroker.open(db_path)


async def test_database_is_in_wal_mode(db_path: Path) -> None:
    async with await SqliteBroker.open(db_path):
        with sqlite3.connect(db_path) as conn:
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"


def test_deleted_payloads_are_zeroed_only_without_extra_writes(db_path: Path) -> None:
    """secure_delete=FAST whatever the SQLite build's default (Debian's is ON, which
    zeroes and writes every freed page of payloads)."""
    conn = _sqlite_schema.connect(str(db_path), busy_timeout_s=1)
    try:
        assert conn.execute("PRAGMA secure_delete").fetchone() == (2,)  # 2 is FAST
    finally:
        conn.close()


def test_synchronous_setting_is_checked(tmp_path: Path) -> None:
    with pytest.raises(QueueError, match="synchronous"):
        SqliteBroker(tmp_path / "q.db", synchronous="OFF")


async def test_acking_scattered_sequences_finishes_exactly_those(open_broker, clock) -> None:
    """A fetched batch is one pending run; acking part of it splits the run: a gap in
    the acked set must stay pending and come back after the ack wait."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=5))
        await stream.publish([str(n).encode() for n in range(1, 11)])
        fetched = {d.id: d for d in await consumer.fetch(10)}
        await consumer.ack(*(fetched[seq] for seq in (3, 1, 2, 5, 7, 8, 8, 10)))
        assert (await consumer.info()).num_ack_pending == 3
        clock.advance(6)
        again = await consumer.fetch(10)
        info = await consumer.info()
    assert [(d.id, d.attempt) for d in again] == [(4, 2), (6, 2), (9, 2)]
    assert info.ack_floor == 3


async def test_fetching_part_of_a_filtered_backlog_holds_only_what_was_handed_out(
    open_broker, clock
) -> None:
    """New deliveries become pending as runs of consecutive sequences: messages of other
    subjects between the ones handed out, and messages past the batch, must not become
    pending."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer(
            "c", ConsumerConfig(ack_wait_s=5, filter_subjects=("events.a",))
        )
        for n in range(1, 9):
            await stream.publish([str(n).encode()], subject="events.a" if n % 2 else "events.b")
        first = await consumer.fetch(2)
        info = await consumer.info()
        assert [d.id for d in first] == [1, 3]
        assert (info.num_ack_pending, info.delivered_seq, info.num_pending) == (2, 3, 2)
        clock.advance(6)
        again = await consumer.fetch(10)
    assert [(d.id, d.attempt) for d in again] == [(1, 2), (3, 2), (5, 1), (7, 1)]


async def test_parts_of_one_fetched_run_keep_their_own_deadlines(open_broker, clock) -> None:
    """One fetch is one pending run; a nak, an in_progress and an ack on parts of it
    split the run, and each part comes back on its own schedule, with its own count."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=10))
        await stream.publish([str(n).encode() for n in range(1, 9)])
        fetched = {d.id: d for d in await consumer.fetch(8)}
        await consumer.ack(fetched[4])
        await consumer.nak(fetched[2], fetched[3], delay_s=2)
        clock.advance(5)
        await consumer.in_progress(fetched[6])
        clock.advance(1)
        assert [(d.id, d.attempt) for d in await consumer.fetch(8)] == [(2, 2), (3, 2)]
        clock.advance(5)  # 11 s after the fetch: the untouched parts fall due
        assert [(d.id, d.attempt) for d in await consumer.fetch(8)] == [
            (1, 2), (5, 2), (7, 2), (8, 2)
        ]
        clock.advance(4)  # 10 s after in_progress, 9 s after 2 and 3 came back
        assert [(d.id, d.attempt) for d in await consumer.fetch(8)] == [(6, 2)]
        info = await consumer.info()
    assert (info.num_ack_pending, info.num_redelivered, info.ack_floor) == (7, 7, 0)


async def test_a_due_run_larger_than_the_batch_is_redelivered_in_parts(open_broker, clock) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=10, max_deliver=2))
        await stream.publish([str(n).encode() for n in range(1, 7)])
        await consumer.fetch(6)
        clock.advance(11)
        head = await consumer.fetch(4)
        tail = await consumer.fetch(4)
        clock.advance(11)
        assert await consumer.fetch(4) == []  # out of attempts: dead-lettered, all six
        letters = await consumer.dead_letters()
        info = await stream.info()
    assert [(d.id, d.attempt) for d in head] == [(1, 2), (2, 2), (3, 2), (4, 2)]
    assert [(d.id, d.attempt) for d in tail] == [(5, 2), (6, 2)]
    assert [(letter.message_id, letter.attempts, letter.reason) for letter in letters] == [
        (seq, 2, "max_deliver") for seq in range(1, 7)
    ]
    assert info.messages == 0


async def test_a_version_1_database_is_converted_and_keeps_what_was_pending(
    db_path: Path, clock
) -> None:
    """Version 1 kept a row per message and a pending row per message; opening converts
    each to a block or a run of one, so what was queued and what was handed out before
    the upgrade are still delivered."""
    async with await SqliteBroker.open(db_path, clock=clock) as broker:
        stream = await broker.stream("events")
        await stream.consumer("dest", ConsumerConfig(ack_wait_s=10))
    published = clock()
    with sqlite3.connect(db_path) as conn:
        conn.executescript(
            "DROP TABLE pending; DROP TABLE stream_1;"
            "CREATE TABLE stream_1 (seq INTEGER PRIMARY KEY, enqueued_at REAL NOT NULL,"
            " subject TEXT NOT NULL, data BLOB NOT NULL);"
            f"INSERT INTO stream_1 VALUES (1, {published}, 'events', x'61'),"
            f" (2, {published}, 'events', x'62'), (3, {published}, 'events.x', x'63');"
            "UPDATE streams SET last_seq = 3;"
            "CREATE TABLE pending (consumer_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
            " deliveries INTEGER NOT NULL, visible_at REAL NOT NULL,"
            " PRIMARY KEY (consumer_id, seq)) WITHOUT ROWID;"
            "CREATE INDEX pending_due ON pending (consumer_id, visible_at);"
            f"INSERT INTO pending VALUES (1, 1, 1, {published + 10}), (1, 2, 3, {published + 10});"
            "UPDATE consumers SET delivered_seq = 2, ack_floor = 0;"
            "UPDATE meta SET value = '1' WHERE key = 'schema_version';"
        )
    async with await SqliteBroker.open(db_path, clock=clock) as broker:
        consumer = await (await broker.stream("events")).consumer("dest")
        fresh = await consumer.fetch(10)
        clock.advance(11)
        again = await consumer.fetch(10)
        info = await consumer.info()
    assert [(d.id, d.data, d.subject, d.first_enqueued_at) for d in fresh] == [
        (3, b"c", "events.x", published)
    ]
    assert [(d.id, d.data, d.attempt) for d in again] == [(1, b"a", 2), (2, b"b", 4)]
    assert info.num_ack_pending == 3


async def test_a_failing_operation_alone_in_its_transaction_is_rolled_back(open_broker) -> None:
    """A job alone in its group runs without a SAVEPOINT: its failure must roll back
    the transaction and leave the writer ready for the next one."""
    async with open_broker() as broker:
        stream = await broker.stream("events")
        doomed = await stream.consumer("doomed")
        await stream.consumer("dest")
        await stream.delete_consumer("doomed")
        with pytest.raises(QueueError, match="deleted"):
            await doomed.ack(Delivery(1, b"x", 1, 0.0, "events", "events", "doomed"))
        assert await stream.publish([b"a"]) == [1]
        info = await stream.info()
    assert (info.messages, info.consumers) == (1, ("dest",))


async def test_a_cancelled_call_is_skipped_and_later_calls_still_answer(open_broker) -> None:
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest")
        waiting = asyncio.create_task(consumer.fetch(1, wait_s=30))
        await asyncio.sleep(0.05)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await stream.publish([b"a"])
        assert [d.data for d in await consumer.fetch(1)] == [b"a"]


async def test_messages_sharing_stored_blocks_are_handed_out_one_by_one(
    open_broker, clock, db_path: Path
) -> None:
    """A publish is stored as blocks of consecutive messages (`_sqlite_blocks`): any
    part of a block, at any batch size, must come out whole and in order, for the
    first time, again after the ack wait, or as a dead letter; and a block stays
    stored until every message in it is finished."""
    sizes = [0, 1, 300_000, 5, *range(100, 300)]  # an empty payload, one above MAX_BYTES
    payloads = [bytes([index % 251]) * size for index, size in enumerate(sizes)]
    async with open_broker() as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=10))
        sequences = await stream.publish(payloads)
        fetched = []
        while batch := await consumer.fetch(7):
            fetched += batch
        assert [(d.id, d.data) for d in fetched] == list(zip(sequences, payloads, strict=True))
        by_id = {d.id: d for d in fetched}
        await consumer.ack(*(by_id[seq] for seq in sequences if not 50 <= seq <= 70))
        await consumer.term(by_id[60], reason="bad")
        assert (await stream.info()).messages == len(payloads) - 49
        clock.advance(11)
        again = await consumer.fetch(100)
        letters = await consumer.dead_letters()
        await consumer.ack(*again)
        info = await stream.info()
    assert [(d.id, d.data, d.attempt) for d in again] == [
        (seq, payloads[seq - 1], 2) for seq in range(50, 71) if seq != 60
    ]
    assert [(letter.message_id, letter.data) for letter in letters] == [(60, payloads[59])]
    assert info.messages == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM stream_1").fetchone() == (0,)
