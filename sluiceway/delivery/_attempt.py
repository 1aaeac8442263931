"""One attempt at a delivery (or a batch of them), reduced to a verdict per message.

The kit does the work (request client, OAuth refresh, multistatus); this module only
turns what it returned or raised into `Result`s the worker can settle: success, a
retryable failure (with any Retry-After), or a permanent one, each with its reason
and a sample for Delivery Overview.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from sluiceway.kit import (
    Action,
    APIError,
    AuthTokens,
    Destination,
    IntegrationError,
    ItemStatus,
    Response,
)
from sluiceway.kit.errors import UNKNOWN_ERROR

from ._message import Message
from ._sample import item_answer, item_sample, mask, response_sample
from .reasons import reason_for_error, reason_for_item

TokenCallback = Callable[[AuthTokens], Any]


@dataclass(frozen=True, slots=True)
class Target:
    """A destination as configured right now: the kit declaration and its settings."""

    destination_id: str
    destination: Destination
    settings: Mapping[str, Any]
    secrets: tuple[str, ...] = ()


@dataclass(slots=True)
class Result:
    """One message's verdict. Read-only by convention: frozen would cost a call per
    field, and a batch makes one per item."""

    ok: bool
    retryable: bool = False
    reason: str | None = None
    detail: str | None = None
    retry_after: float | None = None
    sample: dict[str, Any] | None = None


def uses_batch(action: Action, payload: Mapping[str, Any]) -> bool:
    """Batch when the action can and the mapping did not switch batching off.

    As in Segment, an action that declares `enable_batching` batches only the payloads
    where it is true; one that does not declare it always batches.
    """
    if not action.supports_batch:
        return False
    return "enable_batching" not in action.fields or payload.get("enable_batching") is True


async def send_one(
    target: Target,
    message: Message,
    *,
    http: httpx.AsyncClient,
    on_token_refresh: TokenCallback | None,
) -> Result:
    planned = message.planned
    try:
        answer = await target.destination.perform(
            planned.action,
            planned.payload,
            target.settings,
            http=http,
            on_token_refresh=on_token_refresh,
        )
    except IntegrationError as error:
        return _failure(error, planned.payload, target.secrets)
    except Exception as error:  # a bug below the kit: report it, retry like Segment does
        unknown = IntegrationError(f"{type(error).__name__}: {error}", UNKNOWN_ERROR, 500)
        return _failure(unknown, planned.payload, target.secrets)
    if isinstance(answer, Response):
        return Result(ok=True, sample=response_sample(planned.payload, answer, target.secrets))
    return Result(ok=True, sample={"payload": planned.payload})


async def send_batch(
    target: Target,
    messages: list[Message],
    *,
    http: httpx.AsyncClient,
    on_token_refresh: TokenCallback | None,
) -> list[Result]:
    """One `perform_batch` for messages of the same mapping and batch key."""
    payloads = [message.planned.payload for message in messages]
    action = messages[0].planned.action
    try:
        statuses = await target.destination.perform_batch(
            action, payloads, target.settings, http=http, on_token_refresh=on_token_refresh
        )
    except IntegrationError as error:
        return [_failure(error, payload, target.secrets) for payload in payloads]
    except Exception as error:
        unknown = IntegrationError(f"{type(error).__name__}: {error}", UNKNOWN_ERROR, 500)
        return [_failure(unknown, payload, target.secrets) for payload in payloads]
    return _item_results(statuses, payloads, target.secrets)


def _failure(error: IntegrationError, payload: Any, secrets: tuple[str, ...]) -> Result:
    response = error.response if isinstance(error, APIError) else None
    sample = (
        response_sample(payload, response, secrets)
        if isinstance(response, Response)
        else {"payload": payload}
    )
    return Result(
        ok=False,
        retryable=error.retryable,
        reason=reason_for_error(error),
        detail=mask(error.message, secrets),
        retry_after=error.retry_after,
        sample=sample,
    )


def _item_results(
    statuses: list[ItemStatus], payloads: list[Any], secrets: tuple[str, ...]
) -> list[Result]:
    """One Result per item, in order.

    Successes answered alike (one status and the very same body object, as when the
    whole batch got one response) share their sample's read-only `response` part:
    masking and truncating the body again for each of 1,000 items, and the keyword
    Result, were half of the per-item cost.
    """
    answers: dict[tuple[int, int], dict[str, Any]] = {}
    results: list[Result] = []
    for item, payload in zip(statuses, payloads, strict=True):
        if not item.ok:
            results.append(_item_result(item, payload, secrets))
            continue
        key = (item.status, id(item.body))  # the items keep their bodies alive meanwhile
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = item_answer(item, secrets)
        # Positional, in Result's field order: ok, retryable, reason, detail, retry_after, sample.
        results.append(Result(True, False, None, None, None, {"payload": payload, "response": answer}))
    return results


def _item_result(item: ItemStatus, payload: Any, secrets: tuple[str, ...]) -> Result:
    sample = item_sample(item, payload, secrets)
    if item.ok:
        return Result(ok=True, sample=sample)
    return Result(
        ok=False,
        retryable=item.retryable,
        reason=reason_for_item(item),
        detail=mask(item.error_message or "", secrets) or None,
        retry_after=item.retry_after,
        sample=sample,
    )
