"""Delivery: the workers that run planned deliveries against the destinations' APIs.

    service = DeliveryService(deliveries_stream, resolve=resolve, recorder=recorder,
                              on_token_refresh=save_tokens)
    await service.start(destination_ids)
    await service.sync(destination_ids)          # when configuration changes
    await service.dead_letters.replay("dest_1", reasons="401")
    await service.stop()

Each destination reads `deliveries.<id>` through its durable consumer `dest-<id>`,
sends with bounded concurrency (batching actions that have `perform_batch`), retries
retryable failures with jittered exponential backoff inside a retry window, trips a
per-destination circuit breaker when the vendor keeps failing, and dead-letters
permanent failures with Segment's reason codes. Every outcome is recorded for
Delivery Overview. docs/delivery.md is the guide.
"""

from __future__ import annotations

from .batching import Batcher
from .breaker import BreakerState, CircuitBreaker
from .config import DeliveryConfig, consumer_config
from .dead_letters import DeadLetterService, FailedDelivery, FailedPage, ReplayResult
from .reasons import (
    DESTINATION_DISABLED,
    MALFORMED_DELIVERY,
    reason_for_code,
    reason_for_error,
    reason_for_item,
)
from .retry import DEFAULT_WINDOW_S, RetryPolicy
from .service import DeliveryService
from .worker import DeliveryWorker, Resolve, TokenRefresh

__all__ = [
    "DEFAULT_WINDOW_S",
    "DESTINATION_DISABLED",
    "MALFORMED_DELIVERY",
    "Batcher",
    "BreakerState",
    "CircuitBreaker",
    "DeadLetterService",
    "DeliveryConfig",
    "DeliveryService",
    "DeliveryWorker",
    "FailedDelivery",
    "FailedPage",
    "ReplayResult",
    "Resolve",
    "RetryPolicy",
    "TokenRefresh",
    "consumer_config",
    "reason_for_code",
    "reason_for_error",
    "reason_for_item",
]
