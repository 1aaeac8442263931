"""How delivery runs: concurrency, batching, retries, the breaker, and the queue consumer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sluiceway import pipeline
from sluiceway.queue import ConsumerConfig

from .retry import RetryPolicy


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """Settings shared by every destination's worker.

    - `concurrency`: requests in flight per destination (a batch is one request).
    - `fetch_batch`: most messages taken from the queue per fetch. A fetch costs about
      45 µs of CPU whatever it returns, so taking up to `max_held` at once (1,000, a
      full webhook batch) instead of 100 took 3 µs per event off bench/stages.py's delivery.
    - `max_held`: most messages a worker holds at once (fetched, not yet settled).
    - `linger_s`: how long a partial batch waits for more events before it is sent.
    - `ack_wait_s`: the consumer's ack wait; a live worker extends it for everything it
      holds every third of it, so it only decides how soon a dead worker's messages
      come back.
    - `poll_s`: longest fetch wait, which bounds how quickly `stop` is noticed.
    - `drain_timeout_s`: how long `stop` lets requests in flight finish.
    - `retry`: backoff and retry window.
    - `breaker_threshold`, `breaker_cooldown_s`: consecutive retryable failures that
      open a destination's breaker, and how long it stays open before a probe.
    """

    concurrency: int = 8
    fetch_batch: int = 1000
    max_held: int = 1000
    linger_s: float = 0.5
    ack_wait_s: float = 30.0
    poll_s: float = 0.5
    drain_timeout_s: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker_threshold: int = 5
    breaker_cooldown_s: float = 30.0

    def __post_init__(self) -> None:
        for name in ("concurrency", "fetch_batch", "max_held", "breaker_threshold"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("ack_wait_s", "poll_s", "breaker_cooldown_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("linger_s", "drain_timeout_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")


def consumer_config(destination_id: str, config: DeliveryConfig) -> ConsumerConfig:
    """The durable consumer of one destination, exactly as the router creates it.

    Opening a consumer applies the given settings to it, so every opener must pass the
    same filter: a consumer opened without one would receive every destination's work.
    """
    return ConsumerConfig(
        ack_wait_s=config.ack_wait_s,
        deliver_policy="all",
        filter_subjects=(pipeline.deliveries_subject(destination_id),),
    )
