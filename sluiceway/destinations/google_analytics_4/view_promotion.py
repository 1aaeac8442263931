"""View Promotion: `view_promotion` from Segment's Promotion Viewed."""

from __future__ import annotations

from sluiceway.kit import Action

from ._collect import event_sender
from ._promotion import PARAMS, promotion_fields

view_promotion = Action(
    title="View Promotion",
    description="Send a promotion shown to the user to GA4.",
    default_subscription='type = "track" and event = "Promotion Viewed"',
    fields=promotion_fields(location_path="$.properties.position", items_required=True),
    perform=event_sender("view_promotion", PARAMS),
)
