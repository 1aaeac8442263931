"""Track Purchase: `POST {endpoint}/users/track` with one purchase object per product.

https://www.braze.com/docs/api/objects_filters/purchase_object/. Braze records a
purchase per product, so an order of three products is three objects sharing the user's
identifiers, `app_id`, `time` and `_update_existing_only`; each adds `product_id`,
`currency` (default "USD"), `price`, `quantity`, and `properties`: the product's other
keys followed by the event's properties without `products`. An order without products
sends nothing. `X-Braze-Batch: true` goes with more than one object.

In a batch, Braze's limit of 75 objects counts products: a payload of more than 75
products fails permanently (413); once the batch holds 75 products the remaining
payloads are refused as retryable (429) so they travel in a later batch.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, MultiStatus, RequestClient, Response

from ._common import (
    MAX_BATCH_SIZE,
    MISSING_IDENTIFIER,
    batching_fields,
    braze_id_field,
    email_field,
    external_id_field,
    identifiers,
    iso8601,
    require_identifiers,
    track,
    track_batch,
    user_alias_field,
    without_none,
)

PRODUCT_KEYS = ("product_id", "currency", "price", "quantity")
NO_PRODUCTS = "This event was not sent to Braze because it did not contain any products."


def purchase_objects(
    ids: dict[str, Any], payload: dict[str, Any], settings: dict[str, Any]
) -> list[dict[str, Any]]:
    base = {
        **ids,
        "app_id": settings.get("app_id"),
        "time": iso8601(payload.get("time")),
        "_update_existing_only": payload.get("_update_existing_only"),
    }
    event_properties = {
        k: v for k, v in (payload.get("properties") or {}).items() if k != "products"
    }
    return [
        without_none(
            {
                **base,
                "product_id": product["product_id"],
                "currency": "USD" if product.get("currency") is None else product["currency"],
                "price": product["price"],
                "quantity": product.get("quantity"),
                "properties": {
                    **{k: v for k, v in product.items() if k not in PRODUCT_KEYS},
                    **event_properties,
                },
            }
        )
        for product in payload["products"]
    ]


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response | None:
    ids = require_identifiers(payload)
    if not payload["products"]:
        return None
    return await track(request, "purchases", purchase_objects(ids, payload, settings))


async def perform_batch(
    request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: None
) -> MultiStatus:
    statuses = MultiStatus()
    objects: list[dict[str, Any]] = []
    owners: list[int] = []
    for index, payload in enumerate(payloads):
        ids = identifiers(payload)
        count = len(payload["products"])
        if ids is None:
            statuses.set_error(
                index, status=400, message=MISSING_IDENTIFIER, code="PAYLOAD_VALIDATION_FAILED"
            )
        elif count == 0:
            statuses.set_error(
                index, status=400, message=NO_PRODUCTS, code="PAYLOAD_VALIDATION_FAILED"
            )
        elif count > MAX_BATCH_SIZE:
            message = f"This event has {count} products; Braze accepts at most {MAX_BATCH_SIZE} per request."
            statuses.set_error(index, status=413, message=message, code="PAYLOAD_TOO_LARGE")
        elif len(objects) + count > MAX_BATCH_SIZE:
            message = f"The batch already holds {len(objects)} products; this event goes in a later batch."
            statuses.set_error(index, status=429, message=message, code="RETRYABLE_ERROR")
        else:
            sent = purchase_objects(ids, payload, settings)
            objects.extend(sent)
            owners.extend([index] * len(sent))
            statuses.set_success(index, sent=sent, body="success")
    return await track_batch(request, "purchases", objects, owners, statuses)


track_purchase = Action(
    title="Track Purchase",
    description="Record purchases in Braze",
    default_subscription='event = "Order Completed"',
    fields={
        "external_id": external_id_field(),
        "user_alias": user_alias_field(),
        "email": email_field({"@path": "$.traits.email"}),
        "braze_id": braze_id_field(),
        "time": Field(
            label="Time",
            description="When the event occurred.",
            type="datetime",
            required=True,
            default={"@path": "$.receivedAt"},
        ),
        "products": Field(
            label="Products",
            description="Products purchased",
            type="object",
            multiple=True,
            required=True,
            additional_properties=True,
            properties={
                "product_id": Field(label="Product ID", type="string", required=True),
                "currency": Field(label="Currency", type="string"),
                "price": Field(label="Price", type="number", required=True),
                "quantity": Field(label="Quantity", type="integer"),
            },
            default={"@path": "$.properties.products"},
        ),
        "properties": Field(
            label="Event Properties",
            description="Properties of the event",
            type="object",
            default={"@path": "$.properties"},
        ),
        **batching_fields(),
    },
    perform=perform,
    perform_batch=perform_batch,
    default_batch_size=MAX_BATCH_SIZE,
    max_batch_size=MAX_BATCH_SIZE,
)
