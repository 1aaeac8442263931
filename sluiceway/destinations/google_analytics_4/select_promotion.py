"""Select Promotion: `select_promotion` from Segment's Promotion Clicked (items optional)."""

from __future__ import annotations

from sluiceway.kit import Action

from ._collect import event_sender
from ._promotion import PARAMS, promotion_fields

select_promotion = Action(
    title="Select Promotion",
    description="Send a promotion the user selected to GA4.",
    default_subscription='type = "track" and event = "Promotion Clicked"',
    fields=promotion_fields(location_path=None, items_required=False),
    perform=event_sender("select_promotion", PARAMS),
)
