"""Begin Checkout: `begin_checkout` from Segment's Checkout Started, with `properties.products` as the items."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

begin_checkout = Action(
    title="Begin Checkout",
    description="Send the start of a checkout to GA4.",
    default_subscription='type = "track" and event = "Checkout Started"',
    fields={
        **f.identity_fields(),
        "coupon": f.text("Coupon", "Coupon code used.", "$.properties.coupon"),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=True),
        **f.trailing_fields(),
    },
    perform=event_sender("begin_checkout", ("coupon", "currency", "items", "value")),
)
