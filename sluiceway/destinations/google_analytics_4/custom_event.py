"""Custom Event: any track event as a GA4 event named after it.

The name is trimmed, its whitespace becomes `_` (GA4 names are letters, digits and
underscores) and it is optionally lower-cased. Like Segment, the event's properties are
not sent unless `params` is mapped.
"""

from __future__ import annotations

import re
from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._collect import collect
from ._fields import identity_fields, trailing_fields


def event_name(name: str, lowercase: bool = False) -> str:
    normalised = re.sub(r"\s", "_", name.strip())
    return normalised.lower() if lowercase else normalised


async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
    name = event_name(payload["name"], payload.get("lowercase", False))
    return await collect(request, payload, settings, name, {}, client_key="clientId")


custom_event = Action(
    title="Custom Event",
    description="Send any event to GA4 as a custom event.",
    default_subscription='type = "track"',
    fields={
        **identity_fields("clientId"),
        "name": Field(
            label="Event Name",
            description="The event's name in GA4; whitespace is replaced with underscores.",
            required=True,
            default={"@path": "$.event"},
        ),
        "lowercase": Field(
            label="Lowercase Event Name",
            description="Lower-case the event name (GA4 event names are case-sensitive).",
            type="boolean",
            default=False,
        ),
        **trailing_fields(),
    },
    perform=perform,
)
