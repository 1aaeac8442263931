"""Send: `<method> <url>` with the mapped headers and the mapped `data` as the JSON body.

Batching is opt-in per mapping (`enable_batching`, off by default), as on Segment's
mapping screen: a receiver written for one JSON object per request keeps getting
objects however busy the stream is. A batch is one request to the first item's url, method and headers (items only share a
batch when those match, the default `batch_keys`) whose body is the array of every
item's `data`. Segment's documented batch size: 1,000 by default, at most 4,000.
The answer decides the outcome as a whole: 2xx delivered, 408/423/429/5xx retried.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Choice, Field, RequestClient, Response


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await request(
        payload["url"],
        method=payload["method"],
        headers=payload.get("headers"),
        json=payload.get("data"),
    )


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> Response:
    first = payloads[0]
    return await request(
        first["url"],
        method=first["method"],
        headers=first.get("headers"),
        json=[payload.get("data") for payload in payloads],
    )


send = Action(
    title="Send",
    description="Send an HTTP request.",
    fields={
        "url": Field(
            label="URL",
            description="URL to deliver data to.",
            type="string",
            required=True,
            format="uri",
        ),
        "method": Field(
            label="Method",
            description="HTTP method to use.",
            type="string",
            choices=(
                Choice(value="POST", label="POST"),
                Choice(value="PUT", label="PUT"),
                Choice(value="PATCH", label="PATCH"),
            ),
            default="POST",
            required=True,
        ),
        "enable_batching": Field(
            label="Enable Batching",
            description="Send events to the webhook in batches: one request whose body is an array of `data`.",
            type="boolean",
            default=False,
        ),
        "batch_size": Field(
            label="Batch Size",
            description=(
                "Maximum number of events to include in each batch. Actual batch sizes may be lower."
            ),
            type="number",
            default=0,
        ),
        "headers": Field(
            label="Headers",
            description="HTTP headers to send with each request. Only ASCII characters are supported.",
            type="object",
        ),
        "data": Field(
            label="Data",
            description="Payload to deliver to webhook URL (JSON-encoded).",
            type="object",
            default={"@path": "$."},
        ),
        "batch_keys": Field(
            label="Batch Keys",
            description="The mapping keys to batch events together by.",
            type="string",
            multiple=True,
            hidden=True,
            default=["url", "method", "headers"],
        ),
    },
    perform=perform,
    perform_batch=perform_batch,
    batch_keys=("url", "method", "headers"),
    default_batch_size=1000,
    max_batch_size=4000,
)
