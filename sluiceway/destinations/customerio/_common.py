"""What the Customer.io actions share: Track API v2 entities, identifiers, timestamps, batches.

https://docs.customer.io/api/track/ (operations `entity` and `batch`). One call is
`POST /api/v2/entity` with one entity object; a batch is `POST /api/v2/batch` with
`{"batch": [entity, ...]}`. An entity is `{"type", "action", ...fields, "identifiers"}`
where `identifiers` names the person by `id`, `email`, `cio_id` or `anonymous_id`.
Customer.io reads times as unix seconds, so `timestamp` is always converted and, with
`convert_timestamp`, every ISO 8601 string among the attributes as well.

Segment converts ISO-looking strings anywhere in the entity, so an event *named*
"2024-05-01" would reach Customer.io as a number; only attribute values are dates to
Customer.io, so we convert those (recursively through nested objects) and nothing else.
A batch answered 2xx may still list rejected entities in `errors[].batch_index`; those
items fail alone (400), the others take the answer's status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from sluiceway.kit import Field, MultiStatus, RequestClient, Response

ENTITY_PATH = "/api/v2/entity"
BATCH_PATH = "/api/v2/batch"
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}((T\d{2}:\d{2}(:\d{2})?)(\.\d{1,9})?(Z|(\+|-)\d{2}:?\d{2})?)?$"
)
_UNIX_NUMBER = re.compile(r"^\d+(\.\d+)?$")
# ajv-formats' "full" email format, which Segment uses to tell an email from an id.
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    re.IGNORECASE,
)


def person_id_field(default: Any) -> Field:
    return Field(
        label="Person ID",
        description=(
            "The ID used to uniquely identify a person in Customer.io. [Learn more]"
            "(https://customer.io/docs/identifying-people/#identifiers)."
        ),
        type="string",
        default=default,
    )


def anonymous_id_field() -> Field:
    return Field(
        label="Anonymous ID",
        description=(
            "An anonymous ID for when no Person ID exists. [Learn more]"
            "(https://customer.io/docs/anonymous-events/)."
        ),
        type="string",
        default={"@path": "$.anonymousId"},
    )


def event_id_field() -> Field:
    return Field(
        label="Event ID",
        description=(
            "An optional identifier used to deduplicate events. [Learn more]"
            "(https://customer.io/docs/api/#operation/track)."
        ),
        type="string",
        default={"@path": "$.messageId"},
    )


def timestamp_field(description: str) -> Field:
    return Field(
        label="Timestamp", description=description, type="string", default={"@path": "$.timestamp"}
    )


def data_field() -> Field:
    return Field(
        label="Event Attributes",
        description="Optional data to include with the event.",
        type="object",
        default={"@path": "$.properties"},
    )


def batching_fields() -> dict[str, Field]:
    """`convert_timestamp`, `enable_batching` and `batch_size` (2 to 100, default 50)."""
    return {
        "convert_timestamp": Field(
            label="Convert Timestamps",
            description="Convert dates to Unix timestamps (seconds since Epoch).",
            type="boolean",
            default=True,
        ),
        "enable_batching": Field(
            label="Enable Batching",
            description="Set as true to ensure Segment sends data to Customer.io in batches.",
            type="boolean",
            default=True,
        ),
        "batch_size": Field(
            label="Batch Size",
            description="Maximum number of events to include in each batch. Actual batch sizes may be lower.",
            type="number",
            minimum=2,
            maximum=100,
            default=50,
        ),
    }


def unix_seconds(text: str) -> int | None:
    """dayjs's `.unix()`: floor of epoch seconds; naive times are UTC; None when unreadable."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return math.floor(parsed.timestamp())


def convert_timestamp(value: Any) -> Any:
    """The entity's `timestamp` in unix seconds; numbers and digit strings are left as they are."""
    if not isinstance(value, str) or _UNIX_NUMBER.match(value):
        return value
    seconds = unix_seconds(value)
    return value if seconds is None else seconds


def convert_dates(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every strict ISO 8601 string, also inside nested objects, as unix seconds."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str) and _ISO_DATE.match(value):
            seconds = unix_seconds(value)
            out[key] = value if seconds is None else seconds
        elif isinstance(value, Mapping):
            out[key] = convert_dates(value)
        else:
            out[key] = value
    return out


def identifiers(
    person_id: str | None = None, email: str | None = None, anonymous_id: str | None = None
) -> dict[str, str] | None:
    """The first that applies: `cio_`-prefixed id, email-shaped id, id, email, anonymous id."""
    if person_id and person_id.startswith("cio_"):
        return {"cio_id": person_id[4:]}
    if person_id and _EMAIL.match(person_id):
        return {"email": person_id}
    if person_id:
        return {"id": person_id}
    if email:
        return {"email": email}
    if anonymous_id:
        return {"anonymous_id": anonymous_id}
    return None


def person_entity(
    action: str,
    payload: Mapping[str, Any],
    fields: Mapping[str, Any],
    *,
    person_id: str | None,
    email: str | None = None,
) -> dict[str, Any]:
    """A person entity: `fields` (with `attributes`), `timestamp`, then `identifiers`."""
    entity: dict[str, Any] = {"type": "person", "action": action}
    for key, value in fields.items():
        if value is None:
            continue
        if key == "attributes" and payload.get("convert_timestamp") is not False:
            value = convert_dates(value)
        entity[key] = value
    if payload.get("timestamp"):
        entity["timestamp"] = convert_timestamp(payload["timestamp"])
    anonymous_id = payload.get("anonymous_id")
    found = identifiers(person_id, email, anonymous_id)
    if anonymous_id and (found is None or "anonymous_id" not in found):
        entity["attributes"] = {**entity.get("attributes", {}), "anonymous_id": anonymous_id}
    if found is not None:
        entity["identifiers"] = found
    return entity


async def send_entity(request: RequestClient, entity: dict[str, Any]) -> Response:
    return await request(ENTITY_PATH, method="POST", json=entity)


async def send_batch(request: RequestClient, entities: list[dict[str, Any]]) -> MultiStatus:
    """One `/api/v2/batch` request; entities Customer.io lists in `errors` fail alone."""
    response = await request(BATCH_PATH, method="POST", json={"batch": entities})
    statuses = MultiStatus()
    data = response.data if isinstance(response.data, dict) else {}
    errors = data.get("errors")
    for error in errors if isinstance(errors, list) else []:
        index = error.get("batch_index") if isinstance(error, Mapping) else None
        if not isinstance(index, int) or not 0 <= index < len(entities):
            continue
        message = error.get("message") or error.get("reason") or "Unknown error"
        statuses.set_error(
            index, status=400, message=str(message), sent=entities[index], body=error
        )
    for index, entity in enumerate(entities):
        item = statuses[index] if index < len(statuses) else None
        if item is None:
            statuses.set_success(index, status=response.status, sent=entity, body={"success": True})
    return statuses
