"""Update User Profile: `POST {endpoint}/users/track` with `{"attributes": [object]}`.

https://www.braze.com/docs/api/objects_filters/user_attributes_object/. The object is
the custom attributes (traits by default) followed by Braze's standard attributes.
Segment removes from the custom attributes the keys of *Track Purchase*'s fields plus
`firstName`, `lastName` and `avatar` (its code reuses that action's field list); we
remove the same keys, so `plan`, `phone` or `gender` traits stay custom attributes as
well. Dates go out as ISO 8601, `dob` as YYYY-MM-DD, `gender` as Braze's one-letter
code, and `current_location` / `subscription_groups` only when they hold something.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, MultiStatus, RequestClient, Response

from ._common import (
    MAX_BATCH_SIZE,
    MISSING_IDENTIFIER,
    calendar_date,
    identifiers,
    iso8601,
    require_identifiers,
    track,
    track_batch,
    without_none,
)
from ._profile_fields import PROFILE_FIELDS
from .track_purchase import track_purchase

RESERVED_KEYS = frozenset(track_purchase.fields) | {"firstName", "lastName", "avatar"}
GENDERS = {
    "man": "M", "male": "M", "m": "M",
    "woman": "F", "female": "F", "w": "F", "f": "F",
    "other": "O", "o": "O",
    "not applicable": "N", "n": "N",
    "prefer not to say": "P", "p": "P",
}  # fmt: skip
# Standard attributes sent as they were mapped, in the order they go out.
PLAIN = (
    "email",
    "email_subscribe",
    "email_open_tracking_disabled",
    "email_click_tracking_disabled",
    "facebook",
    "first_name",
)
AFTER_GENDER = ("home_city", "image_url", "language", "last_name")
AFTER_SPAM = ("phone", "push_subscribe", "push_tokens", "time_zone", "twitter")


def braze_gender(value: str | None) -> str | None:
    return GENDERS.get(value.lower(), value) if value else value


def attributes_object(ids: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    custom = {
        k: v for k, v in (payload.get("custom_attributes") or {}).items() if k not in RESERVED_KEYS
    }
    location = without_none(payload.get("current_location") or {})
    groups = payload.get("subscription_groups")
    standard: dict[str, Any] = {
        "braze_id": ids["braze_id"],
        "external_id": ids["external_id"],
        "user_alias": ids["user_alias"],
        "country": payload.get("country"),
        "current_location": location or None,
        "date_of_first_session": iso8601(payload.get("date_of_first_session")),
        "date_of_last_session": iso8601(payload.get("date_of_last_session")),
        "dob": calendar_date(payload.get("dob")),
        **{key: payload.get(key) for key in PLAIN},
        "gender": braze_gender(payload.get("gender")),
        **{key: payload.get(key) for key in AFTER_GENDER},
        "marked_email_as_spam_at": iso8601(payload.get("marked_email_as_spam_at")),
        **{key: payload.get(key) for key in AFTER_SPAM},
        "subscription_groups": groups or None,
        "_update_existing_only": payload.get("_update_existing_only"),
    }
    merged = {**custom}
    for key, value in standard.items():
        if value is None:
            merged.pop(key, None)  # a mapped-to-nothing attribute also hides a same-named trait
        else:
            merged[key] = value
    return merged


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    ids = require_identifiers(payload)
    return await track(request, "attributes", [attributes_object(ids, payload)])


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    statuses = MultiStatus()
    objects: list[dict[str, Any]] = []
    owners: list[int] = []
    for index, payload in enumerate(payloads):
        ids = identifiers(payload)
        if ids is None:
            statuses.set_error(
                index, status=400, message=MISSING_IDENTIFIER, code="PAYLOAD_VALIDATION_FAILED"
            )
            continue
        sent = attributes_object(ids, payload)
        objects.append(sent)
        owners.append(index)
        statuses.set_success(index, sent=sent, body="success")
    return await track_batch(request, "attributes", objects, owners, statuses)


update_user_profile = Action(
    title="Update User Profile",
    description="Update a user's profile attributes in Braze",
    default_subscription='type = "identify"',
    fields=PROFILE_FIELDS,
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=MAX_BATCH_SIZE,
    max_batch_size=MAX_BATCH_SIZE,
)
