"""Add to Wishlist: `add_to_wishlist` from Segment's Product Added to Wishlist, the event's own properties forming the one item."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

add_to_wishlist = Action(
    title="Add to Wishlist",
    description="Send an item added to a wishlist to GA4.",
    default_subscription='type = "track" and event = "Product Added to Wishlist"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=False),
        **f.trailing_fields(),
    },
    perform=event_sender("add_to_wishlist", ("currency", "value", "items"), currency_needed=True),
)
