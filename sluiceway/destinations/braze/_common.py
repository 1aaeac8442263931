"""What the Braze actions share: identifier fields, dates, and `/users/track` batches.

Braze's `POST /users/track` takes arrays `events`, `purchases` and `attributes` of up
to 75 objects each. Each object names its user by `external_id`, `user_alias`,
`braze_id` or `email`; at least one is needed. Braze answers 201 with
`{"message": "success", "errors": [{"type", "input_array", "index"}]}` when some
objects were invalid, so a batch reports per-item outcomes from that list.

Where we differ from Segment: an identifier mapped to null (`braze_id` allows null) is
left out rather than sent as null, since Braze identifiers are strings. When Braze
rejects a whole batch, each item's error code is the status's name (`TOO_MANY_REQUESTS`
with its Retry-After) where Segment reports `PAYLOAD_VALIDATION_FAILED` for any status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from sluiceway.kit import Field, IntegrationError, MultiStatus, RequestClient, Response

TRACK_PATH = "/users/track"
MAX_BATCH_SIZE = 75
MISSING_IDENTIFIER = 'One of "external_id" or "user_alias" or "braze_id" or "email" is required.'
# Segment's code here is the text "Missing required fields"; ours is an upper-case name.
MISSING_IDENTIFIER_CODE = "MISSING_REQUIRED_FIELDS"

_LOOSE_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d")


def external_id_field(default: Any = None) -> Field:
    return Field(
        label="External User ID",
        description="The unique user identifier",
        type="string",
        default={"@path": "$.userId"} if default is None else default,
    )


def user_alias_field() -> Field:
    return Field(
        label="User Alias Object",
        description=(
            "A user alias object. See [the docs]"
            "(https://www.braze.com/docs/api/objects_filters/user_alias_object/)."
        ),
        type="object",
        properties={
            "alias_name": Field(label="Alias Name", type="string"),
            "alias_label": Field(label="Alias Label", type="string"),
        },
    )


def email_field(default: Any) -> Field:
    return Field(
        label="Email",
        description="The user email",
        type="string",
        default=default,
    )


def braze_id_field() -> Field:
    return Field(
        label="Braze User Identifier",
        description="The unique user identifier",
        type="string",
        allow_null=True,
        default={"@path": "$.properties.braze_id"},
    )


def batching_fields() -> dict[str, Field]:
    """`_update_existing_only`, `enable_batching` and the hidden `batch_size` (75)."""
    return {
        "_update_existing_only": Field(
            label="Update Existing Only",
            description=(
                'Setting this flag to true will put the API in "Update Only" mode. When using a '
                '"user_alias", "Update Only" mode is always true.'
            ),
            type="boolean",
            default=False,
        ),
        "enable_batching": Field(
            label="Batch Data to Braze",
            description=(
                "If true, Segment will batch events before sending to Braze’s user track "
                "endpoint. Braze accepts batches of up to 75 events."
            ),
            type="boolean",
            default=True,
        ),
        "batch_size": Field(
            label="Batch Size",
            description="Maximum number of events to include in each batch.",
            type="number",
            hidden=True,
            default=MAX_BATCH_SIZE,
        ),
    }


def user_alias(value: Any) -> dict[str, Any] | None:
    """The alias only when both its name and label are set (Braze rejects half an alias)."""
    if isinstance(value, Mapping) and value.get("alias_label") and value.get("alias_name"):
        return {"alias_label": value["alias_label"], "alias_name": value["alias_name"]}
    return None


def identifiers(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """`braze_id`, `external_id`, `email`, `user_alias`; None when none of them is usable."""
    alias = user_alias(payload.get("user_alias"))
    found = {
        "braze_id": payload.get("braze_id"),
        "external_id": payload.get("external_id"),
        "email": payload.get("email"),
        "user_alias": alias,
    }
    if not any(found.values()):
        return None
    return found


def require_identifiers(payload: Mapping[str, Any]) -> dict[str, Any]:
    found = identifiers(payload)
    if found is None:
        raise IntegrationError(MISSING_IDENTIFIER, MISSING_IDENTIFIER_CODE, 400)
    return found


def parse_date(value: Any) -> datetime | None:
    """A date as dayjs reads it: numbers are epoch milliseconds; naive times are UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        parsed = datetime.fromtimestamp(value / 1000, tz=UTC)
    else:
        parsed = _parse_text(str(value).strip())
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _LOOSE_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def iso8601(value: Any) -> str | None:
    """JavaScript's `toISOString`: UTC, milliseconds, `Z`; None when unreadable."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    utc = parsed.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def calendar_date(value: Any) -> str | None:
    parsed = parse_date(value)
    return parsed.astimezone(UTC).strftime("%Y-%m-%d") if parsed else None


def without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None, as JSON.stringify drops `undefined`."""
    return {key: value for key, value in values.items() if value is not None}


def batch_headers(count: int) -> dict[str, str] | None:
    return {"X-Braze-Batch": "true"} if count > 1 else None


async def track(request: RequestClient, array: str, objects: list[dict[str, Any]]) -> Response:
    """One `/users/track` request carrying `objects` in the array named `array`."""
    return await request(
        TRACK_PATH, method="POST", headers=batch_headers(len(objects)), json={array: objects}
    )


async def track_batch(
    request: RequestClient,
    array: str,
    objects: list[dict[str, Any]],
    owners: list[int],
    statuses: MultiStatus,
) -> MultiStatus:
    """Send a batch and fill `statuses` from Braze's answer.

    `owners[i]` is the payload index object `i` came from; `statuses` already holds an
    error for every payload that was not sent and a success for every one that was.
    """
    if not objects:
        return statuses
    response = await request(
        TRACK_PATH,
        method="POST",
        headers=batch_headers(len(objects)),
        json={array: objects},
        throw_http_errors=False,
    )
    data = response.data if isinstance(response.data, dict) else {}
    reported = _errors_by_payload(data, owners)
    if response.ok:
        for index, types in reported.items():
            if _is_error(statuses, index):
                continue
            statuses.set_error(
                index, status=400, message=types[0], code="BAD_REQUEST", body=", ".join(types)
            )
        return statuses
    message = data.get("message") or f"POST answered {response.status}"
    for index in sorted(set(owners)):
        if _is_error(statuses, index):
            continue
        types = reported.get(index)
        statuses.set_error(
            index,
            status=response.status,
            message=str(message),
            body=", ".join(types) if types else None,
            retry_after=response.retry_after,
        )
    return statuses


def _errors_by_payload(data: Mapping[str, Any], owners: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    errors = data.get("errors")
    for error in errors if isinstance(errors, list) else []:
        position = error.get("index") if isinstance(error, Mapping) else None
        if not isinstance(position, int) or not 0 <= position < len(owners):
            continue
        types = found.setdefault(owners[position], [])
        if str(error.get("type")) not in types:
            types.append(str(error.get("type")))
    return found


def _is_error(statuses: MultiStatus, index: int) -> bool:
    item = statuses[index] if index < len(statuses) else None
    return item is not None and not item.ok
