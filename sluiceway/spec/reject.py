"""Why the tracking API refused one message, in Segment's own discard vocabulary.

Segment answers 200 to a well-formed request and then discards the messages that break
a rule, counting each under a reason code in Delivery Overview ("Failed on Ingest").
We reuse its codes where it has one, so dashboards and support answers carry over.
The few rules Segment states without publishing a code get a code of ours, marked
`SLUICEWAY_CODES` so nobody mistakes them for Segment's.
"""

from __future__ import annotations

from dataclasses import dataclass

# Segment's codes (segment-docs _includes/content/delivery-overview-discards.html).
NO_USER_ANON_ID = "no_user_anon_id"
ID_NOT_STRING = "id_not_string"
EVENT_NOT_DEFINED = "event_not_defined"
EVENT_NOT_STRING = "event_not_string"
PROPERTIES_NOT_OBJECT = "properties_not_object"
TRAITS_NOT_OBJECT = "traits_not_object"
NAME_NOT_STRING = "name_not_string"
CATEGORY_NOT_STRING = "category_not_string"
INVALID_TYPE = "invalid_type"
MISSING_TYPE = "missing_type"
EMPTY_BATCH = "empty_batch"
BAD_REQUEST = "bad_request"

# Ours: rules Segment documents (or its libraries enforce) without a published code.
USER_ID_REQUIRED = "user_id_required"
PREVIOUS_ID_REQUIRED = "previous_id_required"
GROUP_ID_REQUIRED = "group_id_required"
CONTEXT_NOT_OBJECT = "context_not_object"
INTEGRATIONS_NOT_OBJECT = "integrations_not_object"
MESSAGE_ID_TOO_LONG = "message_id_too_long"
MESSAGE_TOO_LARGE = "message_too_large"
BATCH_TOO_LARGE = "batch_too_large"
TOO_MANY_MESSAGES = "too_many_messages"

SEGMENT_CODES = frozenset({
    NO_USER_ANON_ID, ID_NOT_STRING, EVENT_NOT_DEFINED, EVENT_NOT_STRING,
    PROPERTIES_NOT_OBJECT, TRAITS_NOT_OBJECT, NAME_NOT_STRING, CATEGORY_NOT_STRING,
    INVALID_TYPE, MISSING_TYPE, EMPTY_BATCH, BAD_REQUEST,
})
SLUICEWAY_CODES = frozenset({
    USER_ID_REQUIRED, PREVIOUS_ID_REQUIRED, GROUP_ID_REQUIRED, CONTEXT_NOT_OBJECT,
    INTEGRATIONS_NOT_OBJECT, MESSAGE_ID_TOO_LONG, MESSAGE_TOO_LARGE, BATCH_TOO_LARGE,
    TOO_MANY_MESSAGES,
})


@dataclass(frozen=True, slots=True)
class Reject:
    """One refused message: the reason code, a sentence for humans, the field at fault.

    `field` is a path into the message (`properties`, `context`, `batch`), or "" when
    the whole message is at fault.
    """

    reason: str
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        """The JSON shape the API and Delivery Overview show."""
        return {"reason": self.reason, "message": self.message, "field": self.field}
