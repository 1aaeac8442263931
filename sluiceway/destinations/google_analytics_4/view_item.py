"""View Item: `view_item` from Segment's Product Viewed, the event's own properties forming the one item."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

view_item = Action(
    title="View Item",
    description="Send a viewed item to GA4.",
    default_subscription='type = "track" and event = "Product Viewed"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        "items": f.items(product_list=False),
        **f.trailing_fields(),
    },
    perform=event_sender("view_item", ("currency", "items", "value")),
)
