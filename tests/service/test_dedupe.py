"""messageId dedupe: repeats inside the window are caught, redeliveries and old ids are not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sluiceway.service import Claim, MessageDedupe
from sluiceway.store import create_store_engine

NOW = 1_800_000_000.0


@pytest.fixture
def dedupe(tmp_path: Path) -> MessageDedupe:
    return MessageDedupe(create_store_engine(f"sqlite:///{tmp_path / 'state.db'}"), window_s=3600)


def test_the_second_message_with_an_id_is_a_duplicate(dedupe: MessageDedupe) -> None:
    assert dedupe.duplicates([Claim("src", "m1", 1)], NOW) == set()
    assert dedupe.duplicates([Claim("src", "m1", 2), Claim("src", "m2", 3)], NOW + 10) == {2}


def test_repeats_within_one_batch_keep_the_first(dedupe: MessageDedupe) -> None:
    assert dedupe.duplicates([Claim("src", "m1", 1), Claim("src", "m1", 2), Claim("src", "m1", 3)], NOW) == {2, 3}


def test_the_same_queue_message_redelivered_is_not_a_duplicate(dedupe: MessageDedupe) -> None:
    dedupe.duplicates([Claim("src", "m1", 7)], NOW)
    assert dedupe.duplicates([Claim("src", "m1", 7)], NOW + 60) == set()


def test_ids_are_scoped_to_their_source(dedupe: MessageDedupe) -> None:
    dedupe.duplicates([Claim("web", "m1", 1)], NOW)
    assert dedupe.duplicates([Claim("ios", "m1", 2)], NOW) == set()


def test_an_id_older_than_the_window_is_accepted_again(dedupe: MessageDedupe) -> None:
    dedupe.duplicates([Claim("src", "old", 1), Claim("src", "new", 2)], NOW)
    assert dedupe.duplicates([Claim("src", "old", 3)], NOW + 3601) == set()
    assert dedupe.duplicates([Claim("src", "old", 4)], NOW + 3602) == {4}  # the stale claim was replaced


def test_purge_forgets_only_what_left_the_window(dedupe: MessageDedupe) -> None:
    dedupe.duplicates([Claim("src", "old", 1)], NOW)
    dedupe.duplicates([Claim("src", "new", 2)], NOW + 100)
    assert dedupe.purge(NOW + 3601) == 1
    assert dedupe.duplicates([Claim("src", "new", 3), Claim("src", "old", 4)], NOW + 3602) == {3}


def test_claiming_forgets_expired_claims_by_itself(dedupe: MessageDedupe) -> None:
    """Nothing else calls purge in the service: the log must not grow without end."""
    dedupe.duplicates([Claim("src", f"early{n}", n) for n in range(100)], NOW)
    dedupe.duplicates([Claim("src", f"late{n}", 1000 + n) for n in range(50)], NOW + 3601)
    assert dedupe.purge(NOW + 3601) == 0  # nothing expired is left to purge


def test_claims_of_the_previous_schema_survive_the_upgrade(tmp_path: Path) -> None:
    """A state.db written by schema 1 (rowid table `seen_messages`, seen_at index)."""
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as old:
        old.execute(
            'CREATE TABLE seen_messages ("key" VARCHAR(600) NOT NULL, seq INTEGER NOT NULL, '
            'seen_at FLOAT NOT NULL, PRIMARY KEY ("key"))'
        )
        old.execute("CREATE INDEX ix_seen_messages_seen_at ON seen_messages (seen_at)")
        old.executemany("INSERT INTO seen_messages VALUES (?, ?, ?)", [("src\x1fm1", 7, NOW), ("src\x1fm2", 8, NOW)])
    old.close()

    dedupe = MessageDedupe(create_store_engine(f"sqlite:///{path}"), window_s=3600)

    assert dedupe.duplicates([Claim("src", "m1", 9), Claim("src", "m2", 8)], NOW + 10) == {9}
    with sqlite3.connect(path) as upgraded:
        tables = {name for (name,) in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    upgraded.close()
    assert tables == {"claim_batches"}


def test_the_window_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="window_s"):
        MessageDedupe(create_store_engine(f"sqlite:///{tmp_path / 's.db'}"), window_s=0)


def test_earlier_claims_are_found_across_lookup_chunks(dedupe: MessageDedupe) -> None:
    """Known keys are read in chunks of 500 with plain driver SQL: every chunk counts,
    a redelivered sequence is still not a repeat, and a quote in an id is only data."""
    ids = [f"m'{n}" for n in range(1200)]
    assert dedupe.duplicates([Claim("src", mid, n) for n, mid in enumerate(ids)], NOW) == set()
    again = [Claim("src", mid, 5000 + n) for n, mid in enumerate(ids)]
    again[700] = Claim("src", ids[700], 700)  # the same queue message, redelivered
    assert dedupe.duplicates(again, NOW + 10) == {5000 + n for n in range(1200) if n != 700}


def test_claims_are_shared_by_processes_and_survive_a_restart(tmp_path: Path) -> None:
    """Claims are looked up in memory, so each process must take in the others' (and,
    at start, all earlier ones) from state.db."""
    url = f"sqlite:///{tmp_path / 'state.db'}"
    router_a = MessageDedupe(create_store_engine(url), window_s=3600)
    router_b = MessageDedupe(create_store_engine(url), window_s=3600)
    assert router_a.duplicates([Claim("src", "m1", 1)], NOW) == set()
    assert router_b.duplicates([Claim("src", "m1", 2), Claim("src", "m2", 3)], NOW + 1) == {2}
    assert router_a.duplicates([Claim("src", "m2", 4)], NOW + 2) == {4}
    restarted = MessageDedupe(create_store_engine(url), window_s=3600)
    assert restarted.duplicates([Claim("src", "m1", 1), Claim("src", "m2", 5), Claim("src", "m3", 6)], NOW + 3) == {5}


def test_past_max_claims_the_oldest_are_forgotten_early_in_memory_and_in_the_log(tmp_path: Path) -> None:
    """Memory is bounded whatever the traffic: the window becomes the newest `max_claims`
    messages when that is shorter, and a restart reads back only what is kept."""
    url = f"sqlite:///{tmp_path / 'state.db'}"
    dedupe = MessageDedupe(create_store_engine(url), window_s=3600, max_claims=5)
    for n in range(4):  # four batches of two claims, a second apart
        dedupe.duplicates([Claim("src", f"m{2 * n}", 2 * n), Claim("src", f"m{2 * n + 1}", 2 * n + 1)], NOW + n)

    # Eight claims made, at most five kept: the two oldest batches (m0..m3) are forgotten.
    assert dedupe.duplicates([Claim("src", "m0", 100), Claim("src", "m7", 101)], NOW + 10) == {101}
    assert dedupe.purge(NOW + 11) >= 4  # the forgotten batches leave the log too
    restarted = MessageDedupe(create_store_engine(url), window_s=3600, max_claims=5)
    assert restarted.duplicates([Claim("src", "m2", 200), Claim("src", "m6", 201)], NOW + 12) == {201}


@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_max_claims_must_be_a_positive_integer(tmp_path: Path, value: object) -> None:
    with pytest.raises(ValueError, match="max_claims"):
        MessageDedupe(create_store_engine(f"sqlite:///{tmp_path / 's.db'}"), max_claims=value)  # type: ignore[arg-type]
