"""The promotion fields View Promotion and Select Promotion share."""

from __future__ import annotations

from sluiceway.kit import Field

from . import _fields as f

PARAMS = ("creative_name", "creative_slot", "location_id", "promotion_id", "promotion_name", "items")


def promotion_fields(*, location_path: str | None, items_required: bool) -> dict[str, Field]:
    return {
        **f.identity_fields(),
        "creative_name": f.text("Creative Name", "Name of the promotional creative."),
        "creative_slot": f.text("Creative Slot", "Name of the promotional creative slot.", "$.properties.creative"),
        "location_id": f.text("Location ID", "The location of the promotion.", location_path),
        "promotion_id": f.text("Promotion ID", "ID of the promotion.", "$.properties.promotion_id"),
        "promotion_name": f.text("Promotion Name", "Name of the promotion.", "$.properties.name"),
        "items": f.items(product_list=False, required=items_required, promotion=True),
        **f.trailing_fields(),
    }
