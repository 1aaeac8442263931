"""Outcome sequences shaped like the ones ingest, the router and delivery emit."""

from __future__ import annotations

from typing import Any

from sluiceway.metrics import Outcome, Step

# A minute boundary, an hour before the stores' clock: windows around it are not pruned.
T0 = 1_795_000_000.0 - 1_795_000_000.0 % 3600
NOW = T0 + 3600
SOURCE = "src_web"
DESTINATION = "dst_slack"


def event(message_id: str, name: str = "Order Completed", kind: str = "track") -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "messageId": message_id, "userId": f"user-{message_id}"}
    if kind == "track":
        body["event"] = name
    return body


def _facts(message_id: str, at: float, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "at": at,
        "source_id": SOURCE,
        "message_id": message_id,
        "event_type": body["type"],
        "event_name": body.get("event"),
        **extra,
    }


def received(message_id: str, at: float, name: str = "Order Completed", kind: str = "track") -> Outcome:
    body = event(message_id, name, kind)
    return Outcome(Step.RECEIVED, sample=body, **_facts(message_id, at, body))


def rejected(message_id: str, at: float, reason: str = "message_too_large") -> Outcome:
    body = event(message_id)
    return Outcome(
        Step.FAILED_ON_INGEST,
        reason=reason,
        detail="the message is over 32 KB",
        sample=body,
        **_facts(message_id, at, body),
    )


def delivered(
    message_id: str,
    at: float,
    *,
    mappings: tuple[str, ...] = ("map_orders",),
    retries: tuple[str, ...] = (),
    name: str = "Order Completed",
    destination: str = DESTINATION,
) -> list[Outcome]:
    """Received, routed, planned per mapping, retried with `retries` reasons, delivered."""
    body = event(message_id, name)
    common = _facts(message_id, at, body, destination_id=destination)
    outcomes = [received(message_id, at, name), Outcome(Step.ROUTED, sample=body, **common)]
    for mapping in mappings:
        outcomes.append(Outcome(Step.PLANNED, mapping_id=mapping, sample={"payload": {"text": name}}, **common))
        for attempt, reason in enumerate(retries, start=1):
            retry = {**common, "at": at + attempt}
            outcomes.append(Outcome(Step.PENDING_RETRY, mapping_id=mapping, reason=reason, **retry))
        done = {**common, "at": at + len(retries) + 1}
        outcomes.append(Outcome(Step.SUCCESSFUL_DELIVERY, mapping_id=mapping, **done))
    return outcomes


def failed(
    message_id: str, at: float, reason: str = "400", mapping: str = "map_orders", name: str = "Order Completed"
) -> list[Outcome]:
    """Received, routed, planned, then refused by the vendor."""
    body = event(message_id, name)
    common = _facts(message_id, at, body, destination_id=DESTINATION)
    return [
        received(message_id, at, name),
        Outcome(Step.ROUTED, sample=body, **common),
        Outcome(Step.PLANNED, mapping_id=mapping, sample={"payload": {}}, **common),
        Outcome(
            Step.FAILED_DELIVERY,
            mapping_id=mapping,
            reason=reason,
            detail=f"vendor answered {reason}",
            sample={"request": {"message": message_id}},
            **{**common, "at": at + 1},
        ),
    ]


def filtered(message_id: str, at: float, reason: str = "NO_MATCHING_MAPPING", name: str = "Page Viewed") -> list[Outcome]:
    """Received, routed, discarded before any mapping."""
    body = event(message_id, name)
    common = _facts(message_id, at, body, destination_id=DESTINATION)
    return [
        received(message_id, at, name),
        Outcome(Step.ROUTED, sample=body, **common),
        Outcome(Step.FILTERED_AT_DESTINATION, reason=reason, detail="discarded", sample=body, **common),
    ]
