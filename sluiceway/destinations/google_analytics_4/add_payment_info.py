"""Add Payment Info: `add_payment_info` from Segment's Payment Info Entered, with `properties.products` as the items."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

add_payment_info = Action(
    title="Add Payment Info",
    description="Send submitted payment information to GA4.",
    default_subscription='type = "track" and event = "Payment Info Entered"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "coupon": f.text("Coupon", "Coupon code used."),
        "payment_type": f.text("Payment Type", "The chosen method of payment.", "$.properties.payment_method"),
        "items": f.items(product_list=True),
        **f.trailing_fields(),
    },
    perform=event_sender("add_payment_info", ("currency", "value", "coupon", "payment_type", "items"), currency_needed=True),
)
