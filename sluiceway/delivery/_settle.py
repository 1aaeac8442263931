"""Settling attempts: the queue calls (ack, nak with backoff, term) and the outcomes.

The queue call comes first and the outcome is recorded only once it returned, so
Delivery Overview never counts a success the queue does not know about. Calls are
grouped (one ack for every success of a batch, one nak per delay, one term per
reason) because each is a transaction.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sluiceway.metrics import Outcome, Recorder, Step
from sluiceway.queue import Consumer, Delivery

from ._attempt import Result
from ._message import Message
from .breaker import CircuitBreaker
from .reasons import MALFORMED_DELIVERY
from .retry import RetryPolicy


class Settler:
    """Finishes one destination's messages and reports them."""

    def __init__(
        self,
        destination_id: str,
        consumer: Consumer,
        recorder: Recorder,
        policy: RetryPolicy,
        breaker: CircuitBreaker,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._destination_id = destination_id
        self._consumer = consumer
        self._recorder = recorder
        self._policy = policy
        self._breaker = breaker
        self._clock = clock

    async def settle(self, messages: list[Message], results: list[Result]) -> None:
        """Ack successes, retry retryable failures within the window, dead-letter the rest."""
        now = self._clock()
        retried = [
            (m, r) for m, r in zip(messages, results, strict=True) if not r.ok and r.retryable
        ]
        # One draw for the whole batch, so its retried items come back together and batch again.
        wait = 0.0
        if retried:
            attempt = max(m.attempt for m, _ in retried)
            wait = self._policy.backoff(attempt, max((r.retry_after or 0.0) for _, r in retried))
        acks: list[Message] = []
        naks: dict[float, list[Message]] = defaultdict(list)
        terms: dict[str, list[Message]] = defaultdict(list)
        outcomes: list[Outcome] = []
        for message, result in zip(messages, results, strict=True):
            if result.ok:
                acks.append(message)
                outcomes.append(self._outcome(Step.SUCCESSFUL_DELIVERY, message, result, now))
                continue
            reason = result.reason or "UNKNOWN_ERROR"
            delay = (
                self._policy.fit(wait, message.window_start, now, result.retry_after)
                if result.retryable
                else None
            )
            if delay is not None:
                naks[delay].append(message)
                outcomes.append(self._outcome(Step.PENDING_RETRY, message, result, now))
                continue
            terms[reason].append(message)
            detail = result.detail
            if result.retryable:
                detail = f"{detail or reason}; {self._exhausted(message)}"
            outcomes.append(
                self._outcome(Step.FAILED_DELIVERY, message, result, now, detail=detail)
            )
        self._feed_breaker(results)
        await self._apply(acks, naks, terms)
        self._recorder.record(outcomes)

    async def defer(self, messages: list[Message], delay_s: float) -> None:
        """Put back messages that were not sent (breaker open): no request, no outcome.

        The delay is shortened to the end of each message's retry window; a message whose
        window has closed is dead-lettered with the reason that opened the breaker.
        """
        now = self._clock()
        back: dict[float, list[Message]] = defaultdict(list)
        expired: list[Message] = []
        for message in messages:
            fitted = self._policy.fit(delay_s, message.window_start, now)
            if fitted is None:
                expired.append(message)
            else:
                back[fitted].append(message)
        for delay, group in back.items():
            await self._consumer.nak(*(m.delivery for m in group), delay_s=delay)
        if expired:
            reason = self._breaker.last_reason or "CIRCUIT_OPEN"
            detail = f"the destination's circuit breaker was open; {self._exhausted(None)}"
            await self._consumer.term(*(m.delivery for m in expired), reason=reason)
            failed = Result(ok=False, reason=reason, detail=detail)
            self._recorder.record(
                [self._outcome(Step.FAILED_DELIVERY, m, failed, now) for m in expired]
            )

    async def fail(self, messages: list[Message], reason: str, detail: str) -> None:
        """Dead-letter messages that cannot be attempted at all (destination disabled)."""
        if not messages:
            return
        await self._consumer.term(*(m.delivery for m in messages), reason=reason)
        failed = Result(ok=False, reason=reason, detail=detail)
        now = self._clock()
        self._recorder.record(
            [self._outcome(Step.FAILED_DELIVERY, m, failed, now) for m in messages]
        )

    async def malformed(self, deliveries: list[Delivery]) -> None:
        """Dead-letter queue messages that are not planned deliveries at all."""
        if not deliveries:
            return
        await self._consumer.term(*deliveries, reason=MALFORMED_DELIVERY)
        now = self._clock()
        detail = "the queued message is not a planned delivery"
        self._recorder.record(
            [
                Outcome(
                    Step.FAILED_DELIVERY,
                    now,
                    destination_id=self._destination_id,
                    reason=MALFORMED_DELIVERY,
                    detail=f"{detail} (queue sequence {d.id})",
                )
                for d in deliveries
            ]
        )

    async def _apply(
        self, acks: list[Message], naks: dict[float, list[Message]], terms: dict[str, list[Message]]
    ) -> None:
        if acks:
            await self._consumer.ack(*(m.delivery for m in acks))
        for delay, group in naks.items():
            await self._consumer.nak(*(m.delivery for m in group), delay_s=delay)
        for reason, group in terms.items():
            await self._consumer.term(*(m.delivery for m in group), reason=reason)

    def _feed_breaker(self, results: list[Result]) -> None:
        """Any answer that is not a retryable failure proves the vendor is up."""
        if any(r.ok or not r.retryable for r in results):
            self._breaker.record_success()
        elif results:
            self._breaker.record_failure(results[0].reason)

    def _exhausted(self, message: Message | None) -> str:
        window = f"retry window of {self._policy.window_s:g} s exhausted"
        return f"{window} after {message.attempt} attempts" if message else window

    def _outcome(
        self, step: Step, message: Message, result: Result, now: float, *, detail: Any = None
    ) -> Outcome:
        planned = message.planned
        # Positional, in Outcome's field order: keywords cost twice as much, once per item.
        return Outcome(
            step,
            now,
            planned.source_id,
            self._destination_id,
            planned.mapping_id,
            None if result.ok else result.reason,
            planned.message_id,
            planned.event_type,
            planned.event_name,
            detail if detail is not None else result.detail,
            result.sample,
        )
