"""Purchase: `purchase` from Segment's Order Completed (products as GA4 items)."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

PARAMS = ("affiliation", "coupon", "currency", "items", "transaction_id", "shipping", "value", "tax")

purchase = Action(
    title="Purchase",
    description="Send a completed purchase to GA4's ecommerce reports.",
    default_subscription='type = "track" and event = "Order Completed"',
    fields={
        **f.identity_fields(),
        "affiliation": f.affiliation(),
        "coupon": f.text("Coupon", "Coupon code used for the purchase.", "$.properties.coupon"),
        "currency": f.currency(required=True),
        "items": f.items(product_list=True),
        "transaction_id": f.transaction_id(),
        "shipping": f.shipping(),
        "tax": f.tax(),
        "value": f.value("$.properties.total"),
        **f.trailing_fields(),
    },
    perform=event_sender("purchase", PARAMS),
)
