"""Consumer settings, names and NATS subjects, as a JetStream backend will need them."""

from __future__ import annotations

import pytest

from sluiceway.queue import ConsumerConfig, QueueError, subject_matches
from sluiceway.queue.config import check_name, check_subject


@pytest.mark.parametrize("name", ["events", "dest-6f1c", "A_b-9", "x" * 128])
def test_portable_names_are_accepted(name: str) -> None:
    assert check_name("consumer", name) == name


@pytest.mark.parametrize("name", ["", "a.b", "a b", "a*", "a>", "a/b", "x" * 129, 5])
def test_names_jetstream_would_refuse_are_refused(name: object) -> None:
    with pytest.raises(QueueError, match="consumer name"):
        check_name("consumer", name)  # type: ignore[arg-type]


@pytest.mark.parametrize("subject", ["events", "events.src-1", "a.b.c", "a.$b"])
def test_valid_subjects(subject: str) -> None:
    assert check_subject(subject) == subject


@pytest.mark.parametrize("subject", ["", "a..b", ".a", "a.", "a b", "a.*", "a.>", "a.b*"])
def test_invalid_subjects_say_which_token(subject: str) -> None:
    with pytest.raises(QueueError, match="subject"):
        check_subject(subject)


@pytest.mark.parametrize("pattern", ["a.*", "a.>", "*.b.>", ">", "a.b"])
def test_wildcards_are_allowed_in_filters(pattern: str) -> None:
    assert check_subject(pattern, wildcards=True) == pattern


@pytest.mark.parametrize("pattern", ["a.>.b", "a.b*", "a.>>"])
def test_misplaced_wildcards_are_refused_in_filters(pattern: str) -> None:
    with pytest.raises(QueueError, match="filter"):
        check_subject(pattern, wildcards=True)


@pytest.mark.parametrize(("pattern", "subject", "matches"), [
    ("a.b", "a.b", True),
    ("a.b", "a.b.c", False),
    ("a.*", "a.b", True),
    ("a.*", "a.b.c", False),
    ("a.*", "a", False),
    ("a.>", "a.b", True),
    ("a.>", "a.b.c", True),
    ("a.>", "a", False),
    ("*.b.>", "x.b.c", True),
    ("*.b.>", "x.c.c", False),
    (">", "anything.at.all", True),
])
def test_nats_subject_matching(pattern: str, subject: str, matches: bool) -> None:
    assert subject_matches(pattern, subject) is matches


def test_defaults_are_jetstream_like_with_new_delivery() -> None:
    config = ConsumerConfig()
    assert (config.ack_wait_s, config.max_deliver, config.deliver_policy) == (30.0, None, "new")


@pytest.mark.parametrize("settings", [
    {"ack_wait_s": 0}, {"ack_wait_s": -1}, {"ack_wait_s": float("inf")},
    {"max_deliver": 0}, {"backoff_s": (1.0, 0.0)}, {"deliver_policy": "last"},
    {"filter_subjects": ("a..b",)},
])
def test_nonsense_settings_are_refused(settings: dict) -> None:
    with pytest.raises(QueueError):
        ConsumerConfig(**settings)


def test_invisible_for_uses_backoff_then_repeats_its_last_value() -> None:
    config = ConsumerConfig(ack_wait_s=30, backoff_s=(1, 10, 60))
    assert [config.invisible_for(n) for n in range(1, 6)] == [1, 10, 60, 60, 60]
    assert ConsumerConfig(ack_wait_s=7).invisible_for(3) == 7
