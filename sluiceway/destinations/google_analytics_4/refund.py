"""Refund: `refund` from Segment's Order Refunded; items only for a partial refund.

Segment sends `"items": []` when no products are mapped; an absent list is what Google
documents for a full refund, so none is sent.
"""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

PARAMS = ("currency", "transaction_id", "value", "affiliation", "coupon", "shipping", "tax", "items")

refund = Action(
    title="Refund",
    description="Send a refund of a transaction (all of it, or the listed items) to GA4.",
    default_subscription='type = "track" and event = "Order Refunded"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "transaction_id": f.transaction_id(),
        "value": f.value("$.properties.total"),
        "affiliation": f.affiliation(),
        "coupon": f.text("Coupon", "Coupon code used for the purchase."),
        "shipping": f.shipping(),
        "tax": f.tax(),
        "items": f.items(product_list=True, required=False),
        **f.trailing_fields(),
    },
    perform=event_sender("refund", PARAMS, currency_needed=True),
)
