"""View Item List: `view_item_list` from Segment's Product List Viewed, with `properties.products` as the items."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

view_item_list = Action(
    title="View Item List",
    description="Send a viewed list of items to GA4.",
    default_subscription='type = "track" and event = "Product List Viewed"',
    fields={
        **f.identity_fields(),
        "item_list_id": f.text("Item List ID", "ID of the list the items were shown in.", "$.properties.list_id"),
        "item_list_name": f.text("Item List Name", "Name of the list the items were shown in.", "$.properties.category"),
        "items": f.items(product_list=True),
        **f.trailing_fields(),
    },
    perform=event_sender("view_item_list", ("item_list_id", "item_list_name", "items")),
)
