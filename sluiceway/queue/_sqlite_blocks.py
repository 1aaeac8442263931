"""How a stream stores its messages: consecutive messages of one publish share a row.

A block row holds messages `first_seq..last_seq` of one publish call (so one subject
and one publish time), their payloads concatenated in `data`, and `ends`: each
payload's end offset in `data`, as little-endian unsigned 32-bit integers (empty for a
block of one message, whose payload is all of `data`).

Why: with one row per message, SQLite's per-row work was most of the queue's CPU per
message: binding and inserting the row on publish, one `sqlite3_step` (and one GIL
release) per row on fetch, deleting the row on compaction. A block of 64 costs about
what one row did (bench/queue_sqlite.py --cpu and docs/queue.md have the figures).

Blocks are capped (`MAX_MESSAGES`, `MAX_BYTES`) so that handing out a few messages of
a block, as a redelivery or a small fetch does, reads little that is not needed.
"""

from __future__ import annotations

import itertools
import sys
from array import array
from collections.abc import Iterator, Sequence

MAX_MESSAGES = 64
MAX_BYTES = 256 * 1024

_ENDS = "I"
if array(_ENDS).itemsize != 4:  # pragma: no cover - every platform CPython supports today
    raise ImportError("the queue needs 4-byte unsigned integers in array('I')")
_SWAP = sys.byteorder == "big"

# A stored block: (first_seq, last_seq, enqueued_at, subject, ends, data).
Block = tuple[int, int, float, str, bytes, bytes]
# What a fetch hands out per message: `Delivery`'s first fields, in its order.
Row = tuple[int, bytes, int, float, str]


def pack(first_seq: int, payloads: Sequence[bytes]) -> Iterator[tuple[int, int, bytes, bytes]]:
    """The payloads as blocks (first_seq, last_seq, ends, data), in order."""
    start, count = 0, len(payloads)
    while start < count:
        chunk = payloads[start:start + MAX_MESSAGES]
        if len(chunk) > 1 and sum(map(len, chunk)) > MAX_BYTES:
            chunk = _within_bytes(chunk)
        yield first_seq + start, first_seq + start + len(chunk) - 1, _ends(chunk), b"".join(chunk)
        start += len(chunk)


def unpack(block: Block, low: int, high: int, attempt: int) -> list[Row]:
    """The block's messages with sequences in low..high, as fetch rows."""
    first, last, enqueued_at, subject, ends, data = block
    begin_at, stop_at = max(first, low) - first, min(last, high) - first + 1
    if not ends:
        return [(first, data, attempt, enqueued_at, subject)] if begin_at < stop_at else []
    offsets = array(_ENDS)
    offsets.frombytes(ends)
    if _SWAP:  # pragma: no cover - big-endian hosts
        offsets.byteswap()
    rows: list[Row] = []
    begin = offsets[begin_at - 1] if begin_at else 0
    for index in range(begin_at, stop_at):
        end = offsets[index]
        rows.append((first + index, data[begin:end], attempt, enqueued_at, subject))
        begin = end
    return rows


def _within_bytes(chunk: Sequence[bytes]) -> Sequence[bytes]:
    """The longest head of `chunk` within MAX_BYTES, and at least one message."""
    total = 0
    for index, payload in enumerate(chunk):
        total += len(payload)
        if total > MAX_BYTES:
            return chunk[:max(index, 1)]
    return chunk


def _ends(chunk: Sequence[bytes]) -> bytes:
    if len(chunk) == 1:
        return b""
    offsets = array(_ENDS, itertools.accumulate(map(len, chunk)))
    if _SWAP:  # pragma: no cover - big-endian hosts
        offsets.byteswap()
    return offsets.tobytes()
