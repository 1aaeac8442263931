"""Select Item: `select_item` from Segment's Product Clicked, the event's properties as the item."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

select_item = Action(
    title="Select Item",
    description="Send an item selected from a list to GA4.",
    default_subscription='type = "track" and event = "Product Clicked"',
    fields={
        **f.identity_fields(),
        "item_list_name": f.text("Item List Name", "Name of the list the item was shown in."),
        "item_list_id": f.text("Item List ID", "ID of the list the item was shown in."),
        "items": f.items(product_list=False),
        **f.trailing_fields(),
    },
    perform=event_sender("select_item", ("items", "item_list_name", "item_list_id")),
)
