"""Add to Cart: `add_to_cart` from Segment's Product Added, the event's own properties forming the one item."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

add_to_cart = Action(
    title="Add to Cart",
    description="Send an item added to a cart to GA4.",
    default_subscription='type = "track" and event = "Product Added"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=False),
        **f.trailing_fields(),
    },
    perform=event_sender("add_to_cart", ("currency", "items", "value")),
)
