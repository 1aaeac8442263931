"""Webhook: send events as JSON to any HTTP endpoint, optionally signed.

With a shared secret every request carries `X-Signature`: the hex HMAC-SHA1 of the JSON
of the mapped `data`, keyed by the secret. For a batch Segment signs the first item's
`data` only, not the array that is sent, and so do we, so receivers built for Segment
keep verifying.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sluiceway.kit import Authentication, Destination, Field, json_body

from .send import send


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    secret = settings.get("sharedSecret")
    signed = payload[0] if isinstance(payload, list) and payload else payload
    if not secret or not isinstance(signed, dict) or "data" not in signed:
        return {}
    digest = hmac.new(secret.encode(), json_body(signed["data"]), hashlib.sha1).hexdigest()
    return {"headers": {"X-Signature": digest}}


destination = Destination(
    name="Webhook",
    slug="actions-webhook",
    description="Send an HTTP request to any URL with the event's data as JSON.",
    settings={
        "sharedSecret": Field(
            label="Shared Secret",
            description=(
                'If set, requests are signed with an HMAC in the "X-Signature" request header. '
                "The HMAC is a hex-encoded SHA1 hash generated using this shared secret and "
                "the request body."
            ),
            type="password",
        ),
    },
    authentication=Authentication(scheme="custom"),
    extend_request=extend_request,
    actions={"send": send},
)
