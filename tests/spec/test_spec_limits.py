"""Size limits: 32 KB per message, 500 KB per batch, 2,500 messages per batch."""

from __future__ import annotations

import json

import pytest

from sluiceway import spec
from sluiceway.spec import reject as codes


def test_limits_are_segments_in_bytes() -> None:
    assert spec.MAX_MESSAGE_BYTES == 32_768
    assert spec.MAX_BATCH_BYTES == 512_000
    assert spec.MAX_BATCH_MESSAGES == 2_500


def message_of_size(size: int) -> dict:
    """A message whose compact JSON is exactly `size` bytes."""
    skeleton = {"type": "track", "event": "E", "userId": "u", "properties": {"pad": ""}}
    padding = size - len(json.dumps(skeleton, separators=(",", ":")))
    return skeleton | {"properties": {"pad": "x" * padding}}


def test_message_of_exactly_32_kb_passes_and_one_byte_more_fails() -> None:
    assert spec.serialized_size(message_of_size(32_768)) == 32_768
    assert spec.check_message_size(message_of_size(32_768)) is None
    rejected = spec.check_message_size(message_of_size(32_769))
    assert rejected.reason == codes.MESSAGE_TOO_LARGE
    assert "32769" in rejected.message


def test_size_counts_utf8_bytes_not_characters() -> None:
    assert spec.serialized_size({"a": "é"}) == len('{"a":"é"}'.encode())
    assert spec.serialized_size("ééé") == 6


@pytest.mark.parametrize("raw", [b"x" * 512_000, bytearray(512_000), "x" * 512_000])
def test_raw_bodies_are_measured_as_sent(raw: bytes | bytearray | str) -> None:
    assert spec.check_batch_size(raw) is None
    assert spec.check_batch_size(raw + raw[:1]).reason == codes.BATCH_TOO_LARGE


def test_batch_count_limit() -> None:
    assert spec.check_batch_count(2_500) is None
    assert spec.check_batch_count(2_501).reason == codes.TOO_MANY_MESSAGES
