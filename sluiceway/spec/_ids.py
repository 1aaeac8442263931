"""Identifiers: numeric ids made strings, and the messageId we assign.

Segment's spec types every identifier as a string, and its discard table refuses a
non-string `userId`/`anonymousId` (`id_not_string`). Yet Segment's server libraries
accept numbers and send them as strings (analytics-python `stringify_id`, with
`ID_TYPES = (numbers.Number, str)`), so a database integer id is the most common
"non-string" a caller sends. We do what those libraries do, on the server: an integer
(or a float holding an integer, as JSON `1e3` or `42.0`) becomes its decimal string.
Booleans, fractions, non-finite numbers, objects and arrays are not identifiers and
are refused.
"""

from __future__ import annotations

import math
import uuid

MESSAGE_ID_PREFIX = "api-"
MAX_MESSAGE_ID_LENGTH = 100
_MAX_SAFE_INTEGER = 2**53  # beyond this a JSON number no longer names one integer


class NotAnId(Exception):
    """The value cannot serve as an identifier."""


def coerce_id(value: object) -> str:
    """`value` as an identifier string; raises NotAnId when it is not one.

    The empty string is refused too: Segment's `id_not_string` covers "an empty string
    or not a string".
    """
    if isinstance(value, str):
        if value:
            return value
        raise NotAnId("is an empty string")
    if isinstance(value, bool):
        raise NotAnId("is a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) <= _MAX_SAFE_INTEGER:
            return str(int(value))
        raise NotAnId("is a number that is not a whole number")
    raise NotAnId(f"is {_json_type(value)}")


def new_message_id() -> str:
    """A messageId for a message that arrived without one: `api-` plus a UUID4.

    Every Segment library prefixes the ids it makes (`ajs-`, `node-`, ...) and Segment's
    tracking API assigns ids to HTTP messages that lack one, so a prefix tells whoever
    reads a message later that the server, not the client, named it.
    """
    return MESSAGE_ID_PREFIX + str(uuid.uuid4())


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a {type(value).__name__}"
