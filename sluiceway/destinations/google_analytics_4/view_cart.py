"""View Cart: `view_cart` from Segment's Cart Viewed, with `properties.products` as the items."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

view_cart = Action(
    title="View Cart",
    description="Send a viewed cart to GA4.",
    default_subscription='type = "track" and event = "Cart Viewed"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=True),
        **f.trailing_fields(),
    },
    perform=event_sender("view_cart", ("currency", "value", "items"), currency_needed=True),
)
