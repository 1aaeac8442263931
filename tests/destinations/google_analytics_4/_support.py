"""Running GA4 actions against the local server, with realistic ecommerce events."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.destinations.google_analytics_4 import destination as ga4
from sluiceway.kit.testing import MockServer, sample_event

JSON_HEADERS = {"user-agent": "Segment (Actions)", "content-type": "application/json"}
WEB_TARGET = "/mp/collect?api_secret=SECRET&measurement_id=G-TEST"
# The sample event's timestamp, 2024-05-01T12:00:00.000Z, in Unix microseconds.
SAMPLE_MICROS = b'"timestamp_micros":1714564800000000'

# Segment's ecommerce spec: one product (Product Added, Product Viewed, ...) ...
PRODUCT = {
    "product_id": "p1",
    "sku": "SKU-1",
    "name": "Shoe",
    "brand": "Acme",
    "category": "Footwear",
    "variant": "Black",
    "price": 19.99,
    "quantity": 2,
    "currency": "usd",
    "value": 39.98,
}
# ... and an order with its products (Order Completed, Checkout Started, Cart Viewed, ...).
ORDER = {
    "order_id": "o-1",
    "affiliation": "Web Store",
    "total": 44.98,
    "shipping": 3,
    "tax": 2,
    "coupon": "SUMMER",
    "currency": "USD",
    "products": [
        {"product_id": "p1", "name": "Shoe", "price": 19.99, "quantity": 2, "position": 1, "brand": "Acme"},
        {"product_id": "p2", "name": "Sock", "price": 5, "quantity": 1, "position": 2, "variant": "Red"},
    ],
}


def settings_for(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"apiSecret": "SECRET", "measurementId": "G-TEST", "base_url_override": server.url, **extra}


def track(event: str, properties: dict[str, Any]) -> dict[str, Any]:
    return sample_event(event=event, properties=properties)


def run(server: MockServer, action: str, event: dict, mapping: dict | None = None, **settings: Any) -> Any:
    mapping = {**ga4.actions[action].default_mapping(), **(mapping or {})}
    return asyncio.run(ga4.execute(action, event, mapping, settings_for(server, **settings)))

# ORDER's products and PRODUCT as GA4 items, as JSON.
ORDER_ITEMS = (
    b'[{"item_id":"p1","item_name":"Shoe","index":1,"item_brand":"Acme","price":19.99,"quantity":2},'
    b'{"item_id":"p2","item_name":"Sock","index":2,"item_variant":"Red","price":5,"quantity":1}]'
)
PRODUCT_ITEM = (
    b'[{"item_id":"p1","item_name":"Shoe","item_brand":"Acme","item_category":"Footwear",'
    b'"item_variant":"Black","price":19.99,"quantity":2}]'
)


def event_body(name: bytes, params: bytes) -> bytes:
    """The sample user's request body for one event whose params start with `params`."""
    return (
        b'{"client_id":"user-123","events":[{"name":"' + name + b'","params":{' + params
        + b'"engagement_time_msec":1}}],' + SAMPLE_MICROS + b"}"
    )
