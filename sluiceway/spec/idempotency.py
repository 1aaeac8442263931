"""The idempotency key each delivery carries.

Delivery is at least once: a worker that crashes after the destination answered but
before the queue heard the ack will send the same request again. One message can also
fan out to several mappings of one destination. So the key names the pair: this
message (its `messageId`, the thing Segment deduplicates on) through this mapping.
Vendors that accept an insert id or idempotency header can then drop the repeat, and
our own delivery log can recognise it.

The key is a hex BLAKE2b digest, 32 characters: short enough for any vendor field
(Amplitude's `insert_id` and most idempotency headers take 64 or more), stable across
processes and versions, and free of the characters a messageId may contain.
"""

from __future__ import annotations

import hashlib
import struct

DELIVERY_KEY_LENGTH = 32


def delivery_key(message_id: str, mapping_id: str) -> str:
    """A stable 32-character hex key for delivering `message_id` through `mapping_id`.

    Each part is length-prefixed so ("ab", "c") and ("a", "bc") cannot collide.
    """
    message, mapping = message_id.encode(), mapping_id.encode()
    # One update of a copied, already personalised hasher: the same digest as hashing
    # the parts one by one into a new hasher, in about 60% of the time (once per delivery).
    hasher = _EMPTY.copy()
    hasher.update(b"".join((_LENGTH(len(message)), message, _LENGTH(len(mapping)), mapping)))
    return hasher.hexdigest()


_EMPTY = hashlib.blake2b(digest_size=DELIVERY_KEY_LENGTH // 2, person=b"sluiceway-dk")
_LENGTH = struct.Struct(">I").pack  # 4 bytes, big-endian
