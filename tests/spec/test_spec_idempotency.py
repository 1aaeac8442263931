"""The idempotency key of one delivery: messageId through one mapping."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from sluiceway import spec


def test_key_is_32_lowercase_hex_characters() -> None:
    key = spec.delivery_key("ajs-next-1", "mapping-7")
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert spec.DELIVERY_KEY_LENGTH == 32


def test_key_differs_by_message_and_by_mapping() -> None:
    keys = {
        spec.delivery_key(message, mapping)
        for message in ("m1", "m2") for mapping in ("a", "b")
    }
    assert len(keys) == 4


def test_parts_cannot_run_into_each_other() -> None:
    assert spec.delivery_key("ab", "c") != spec.delivery_key("a", "bc")


def test_key_is_stable_across_processes() -> None:
    """A redelivery after a crash runs in another process; its key must be the same."""
    code = "from sluiceway import spec; print(spec.delivery_key('m-1', 'map-1'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == spec.delivery_key("m-1", "map-1")


@given(st.tuples(st.text(max_size=30), st.text(max_size=30)),
       st.tuples(st.text(max_size=30), st.text(max_size=30)))
def test_different_pairs_get_different_keys(first: tuple[str, str], second: tuple[str, str]) -> None:
    same_key = spec.delivery_key(*first) == spec.delivery_key(*second)
    assert same_key == (first == second)


def test_key_value_is_fixed() -> None:
    """Keys are stored and sent to vendors: the same pair must keep its very key."""
    assert spec.delivery_key("ajs-next-1", "mapping-7") == "7092180dad5469dbcd46ee3154705af0"
    assert spec.delivery_key("é✓", "m") == "c0fb95d47d0c3643ae4edb2acc7a81fb"
