"""Track Purchase: the order event plus one "Product Purchased" event per product, via /import.

https://developer.mixpanel.com/reference/import-events. Same endpoint, auth and batch
read-back as Track Event. Each product event carries the order's properties without
the order-level totals, then the product's own keys; its `$insert_id` is the product's
index (0-based) before the order's insert id and its `time` is the order time minus
index + 1 ms, so the events stay distinct and ordered. All events of a batch travel
in one /import array; a payload fails when any of its events fails.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import import_batch, import_events
from ._event_fields import EVENT_FIELDS
from .track_event import mixpanel_event

PRODUCT_EVENT = "Product Purchased"
ORDER_ONLY_PROPERTIES = frozenset(
    {
        "affiliation", "subtotal", "total", "revenue", "shipping", "tax",
        "discount", "coupon", "currency", "order_number", "products",
    }
)
_PRODUCT_FIELDS = {
    "product_id": ("string", "Product Id", "Database id of the product being viewed."),
    "sku": ("string", "SKU", "Sku of the product being viewed."),
    "category": ("string", "Category", "Product category being viewed."),
    "name": ("string", "Name", "Name of the product being viewed."),
    "brand": ("string", "Brand", "Brand associated with the product."),
    "variant": ("string", "Variant", "Variant of the product being viewed."),
    "price": ("number", "Price", "Price of the product being viewed."),
    "quantity": ("integer", "Quantity", "Quantity of a product."),
    "coupon": ("string", "Coupon", "Coupon code associated with a product (for example, MAY_DEALS_3)."),
    "position": ("number", "position", "Position in the product list (ex. 3)."),
    "url": ("string", "url", "URL of the product page."),
    "image_url": ("string", "Image url", "Image url of the product."),
}


def purchase_events(payload: dict[str, Any], settings: dict[str, Any]) -> list[dict[str, Any]]:
    order = mixpanel_event(payload, settings)
    events = [order]
    if payload.get("generatePurchaseEventPerProduct", True) is False:
        return events
    shared = {k: v for k, v in order["properties"].items() if k not in ORDER_ONLY_PROPERTIES}
    for index, product in enumerate(payload.get("products") or ()):
        properties = {**shared, **product}
        properties["$insert_id"] = f"{index}{order['properties']['$insert_id']}"
        properties["time"] = order["properties"]["time"] - (index + 1)
        events.append({"event": PRODUCT_EVENT, "properties": properties})
    return events


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    return await import_events(request, purchase_events(payload, settings), settings)


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    events: list[dict[str, Any]] = []
    owners: list[int] = []
    for index, payload in enumerate(payloads):
        produced = purchase_events(payload, settings)
        events.extend(produced)
        owners.extend([index] * len(produced))
    return await import_batch(request, events, owners, payloads, settings)


track_purchase = Action(
    title="Track Purchase",
    description=(
        "Send an 'Order Completed' event to Mixpanel, and optionally one 'Product Purchased' "
        "event per product in the order."
    ),
    default_subscription='type = "track"',
    fields={
        **EVENT_FIELDS,
        "generatePurchaseEventPerProduct": Field(
            label="Generate Purchase Event Per Product",
            description="When enabled, send \"Product Purchased\" with each product within the event.",
            type="boolean",
            default=True,
        ),
        "products": Field(
            label="Products",
            description="Products in the order.",
            type="object",
            multiple=True,
            additional_properties=True,
            properties={
                key: Field(label=label, description=description, type=kind)
                for key, (kind, label, description) in _PRODUCT_FIELDS.items()
            },
            default={
                "@arrayPath": ["$.properties.products", {key: {"@path": f"$.{key}"} for key in _PRODUCT_FIELDS}]
            },
        ),
        "event": Field(
            label="Event Name",
            description="The name of the action being performed.",
            type="string",
            required=True,
            default={"@path": "$.event"},
        ),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=1000,
    max_batch_size=2000,
)
