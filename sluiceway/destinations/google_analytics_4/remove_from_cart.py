"""Remove from Cart: `remove_from_cart` from Segment's Product Removed, the event's own properties forming the one item."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

remove_from_cart = Action(
    title="Remove from Cart",
    description="Send an item removed from a cart to GA4.",
    default_subscription='type = "track" and event = "Product Removed"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=False),
        **f.trailing_fields(),
    },
    perform=event_sender("remove_from_cart", ("currency", "value", "items"), currency_needed=True),
)
