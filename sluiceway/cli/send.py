"""`sluiceway send`: post events from a file to the tracking API, in batches, as an SDK would.

The file is NDJSON (one event per line) or a JSON array; `-` reads stdin. Batches stay
under the tracking API's limits (2,500 messages, 500 KB). A 429 or 503 is retried
after its `Retry-After`; any other refusal stops the command with the API's message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from sluiceway.spec.limits import MAX_BATCH_BYTES, MAX_BATCH_MESSAGES

from ._client import (
    UrlOption,
    api_error_message,
    base_url,
    fail,
    parse_json,
    read_text,
    say,
    unreachable,
)

BATCH_PATH = "/v1/batch"
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRIES = 20
DEFAULT_RETRY_AFTER_S = 1.0
BATCH_BYTES_BUDGET = MAX_BATCH_BYTES - 1024  # room for the envelope around the items
TIMEOUT_S = 60.0


def send(
    file: Annotated[
        str, typer.Argument(help="NDJSON (one event per line) or a JSON array; - for stdin.")
    ],
    write_key: Annotated[
        str,
        typer.Option(
            "--write-key",
            envvar="SLUICEWAY_WRITE_KEY",
            help="The source's write key.",
            show_default=False,
        ),
    ],
    url: UrlOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=MAX_BATCH_MESSAGES, help="Events per request.")
    ] = 100,
) -> None:
    """Send events to a source through the tracking API (POST /v1/batch)."""
    events = read_events(file)
    target = base_url(url)
    accepted = 0
    with Progress(
        TextColumn("sending"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("send", total=len(events))
        with httpx.Client(base_url=target, auth=(write_key, ""), timeout=TIMEOUT_S) as client:
            for batch in batches(events, batch_size):
                error = post_batch(client, target, batch)
                if error is not None:
                    progress.stop()
                    say(f"Accepted {accepted} of {len(events)} events before the refusal.")
                    fail(error)
                accepted += len(batch)
                progress.advance(task, len(batch))
    say(f"Accepted {accepted} events.")


def read_events(file: str) -> list[dict[str, Any]]:
    """The events of a JSON array or NDJSON text; a line that is not an object is refused."""
    text = read_text(file)
    if text.lstrip().startswith("["):
        found = parse_json(text, file)
        where = [f"{file} item {index}" for index in range(len(found))]
    else:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        found = [parse_json(line, f"{file} line {number}") for number, line in lines]
        where = [f"{file} line {number}" for number, _ in lines]
    for event, place in zip(found, where, strict=True):
        if not isinstance(event, dict):
            fail(f"{place} is not a JSON object")
    return found


def batches(events: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Runs of at most `size` events whose JSON stays under the batch byte limit."""
    batch: list[dict[str, Any]] = []
    weight = 0
    for event in events:
        event_bytes = len(json.dumps(event, separators=(",", ":")).encode()) + 1
        if batch and (len(batch) == size or weight + event_bytes > BATCH_BYTES_BUDGET):
            yield batch
            batch, weight = [], 0
        batch.append(event)
        weight += event_bytes
    if batch:
        yield batch


def post_batch(client: httpx.Client, target: str, batch: list[dict[str, Any]]) -> str | None:
    """None once the batch is accepted; the API's message when it is refused."""
    for _ in range(MAX_RETRIES):
        try:
            response = client.post(BATCH_PATH, json={"batch": batch})
        except httpx.ConnectError:
            unreachable(target)
        except httpx.HTTPError as exc:
            fail(f"request to {target} failed: {type(exc).__name__}")
        if response.status_code < 300:
            return None
        if response.status_code not in RETRY_STATUSES:
            return api_error_message(response)
        time.sleep(retry_after_s(response))
    return f"still refused after {MAX_RETRIES} tries: {api_error_message(response)}"


def retry_after_s(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", DEFAULT_RETRY_AFTER_S)))
    except ValueError:
        return DEFAULT_RETRY_AFTER_S
