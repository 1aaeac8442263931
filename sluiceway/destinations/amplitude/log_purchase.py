"""Log Purchase: an order and its products to Amplitude's HTTP V2 API, in one request.

The first event is the order itself; each product adds a "Product Purchased" event
(with the order's user, device and context, the product as its event properties, and
`insert_id` "<insert_id>-2", "-3", ... when the order has one). Revenue is
price x quantity when both are numbers, else the revenue field; with no revenue no
revenue keys are sent. It goes on the order event, or with Track Revenue Per Product on
each product event instead. A missing quantity is left out of the revenue keys rather
than sent as null (Amplitude wants an integer there or nothing).
"""

from __future__ import annotations

import math
from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response

from ._event import (
    REVENUE_KEYS,
    add_utm_and_referrer,
    event_library,
    mapped_properties,
    with_user_agent,
    without_none,
)
from ._fields import EVENT_SCHEMA, LEGACY_EVENT_EXTRAS
from ._requests import send_events

PRODUCT_EVENT_TYPE = "Product Purchased"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def revenue_properties(item: dict[str, Any]) -> dict[str, Any]:
    """Amplitude's revenue keys for an order or a product; empty when there is no revenue."""
    price, quantity = item.get("price"), item.get("quantity")
    revenue = (
        price * quantity if _is_number(price) and _is_number(quantity) else item.get("revenue")
    )
    if not revenue:
        return {}
    revenue_type = item.get("revenueType")
    return without_none(
        {
            "revenue": revenue,
            "revenueType": "Purchase" if revenue_type is None else revenue_type,
            "quantity": math.floor(quantity + 0.5) if _is_number(quantity) else None,
            "price": price,
            "productId": item.get("productId"),
        }
    )


def build_events(payload: dict[str, Any]) -> list[dict[str, Any]]:
    products = payload.get("products") or []
    per_product = bool(payload.get("trackRevenuePerProduct"))
    library = event_library(payload)
    properties = mapped_properties(payload, drop=REVENUE_KEYS)
    add_utm_and_referrer(properties, payload)

    order = with_user_agent(payload, properties)
    if not (products and per_product):
        order.update(revenue_properties(payload))
    events = [order]
    for product in products:
        event = {**properties, **(revenue_properties(product) if per_product else {})}
        event["event_properties"] = product
        event["event_type"] = PRODUCT_EVENT_TYPE
        if properties.get("insert_id"):
            event["insert_id"] = f"{properties['insert_id']}-{len(events) + 1}"
        events.append(event)
    if library is not None:
        for event in events:
            event["library"] = library
    return events


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await send_events(request, payload, settings, build_events(payload))


log_purchase = Action(
    title="Log Purchase",
    description="Send an event to Amplitude, with one more event per purchased product.",
    default_subscription='type = "track"',
    fields={
        **EVENT_SCHEMA,
        "trackRevenuePerProduct": Field(
            label="Track Revenue Per Product",
            description="Send revenue with each product event instead of with the order event.",
            type="boolean",
            default=False,
        ),
        **LEGACY_EVENT_EXTRAS,
    },
    perform=perform,
)
