"""messageId dedupe: repeats inside the window are caught, redeliveries and old ids are not."""

from __future__ import annotations

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


def test_an_id_older_than_the_window_is_accepted_again_and_purged(dedupe: MessageDedupe) -> None:
    dedupe.duplicates([Claim("src", "old", 1), Claim("src", "new", 2)], NOW)
    assert dedupe.duplicates([Claim("src", "old", 3)], NOW + 3601) == set()
    assert dedupe.duplicates([Claim("src", "old", 4)], NOW + 3602) == {4}
    assert dedupe.purge(NOW + 3601 + 3600 - 1) == 1  # "new" expired, "old" was claimed again


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
    restarted = MessageDedupe(create_store_engine(url), window_s=3600)
    assert restarted.duplicates([Claim("src", "m1", 1), Claim("src", "m2", 4), Claim("src", "m3", 5)], NOW + 2) == {4}
