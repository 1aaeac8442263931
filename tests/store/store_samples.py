"""Sample trigger and field mapping shared by the store tests."""

from __future__ import annotations

TRACK_ORDERS = 'type = "track" and event = "Order Completed"'
ORDER_FIELDS = {"order_id": {"@path": "$.properties.order_id"}}
