"""The fields GA4 actions share, declared once.

Every action starts with the stream/identity fields (`identity_fields`) and ends with the
event-level extras (`trailing_fields`); between them sit its own parameters, mostly
taken from the catalogue below. Segment names the client id `clientId` in Custom Event
and Page View and `client_id` everywhere else; `identity_fields` takes the key.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Field

WEB = "Web"
MOBILE_APP = "Mobile App"


def _path(path: str) -> dict[str, str]:
    return {"@path": path}


def identity_fields(client_key: str = "client_id") -> dict[str, Field]:
    """Stream type, app instance / client id, user id and timestamp, in Segment's order."""
    user_or_anonymous = {"@if": {"exists": _path("$.userId"), "then": _path("$.userId"), "else": _path("$.anonymousId")}}
    return {
        "data_stream_type": Field(
            label="Data Stream Type",
            description="Whether the event belongs to a web stream or a mobile app (iOS or Android) stream.",
            choices=(WEB, MOBILE_APP),
            default=WEB,
        ),
        "app_instance_id": Field(
            label="Firebase App Instance ID",
            description="The Firebase SDK's id of one installation of the app. **Required for mobile app streams.**",
        ),
        client_key: Field(
            label="Client ID",
            description="Identifies one web client (browser) of a user. **Required for web streams.**",
            default=user_or_anonymous,
        ),
        "user_id": Field(
            label="User ID",
            description="Your own unique identifier of the user, for cross-device reporting (GA4 User-ID).",
        ),
        "timestamp_micros": Field(
            label="Event Timestamp",
            description=(
                "When the event happened, as Unix microseconds; other date formats are converted. "
                "GA4 accepts events backdated up to 72 hours."
            ),
            default=_path("$.timestamp"),
        ),
    }


def trailing_fields() -> dict[str, Field]:
    """User properties, engagement time, extra parameters and consent, common to every action."""
    return {
        "user_properties": Field(
            label="User Properties",
            description="User-scoped properties; register them as custom dimensions in GA4 to see them in reports.",
            type="object",
            additional_properties=True,
        ),
        "engagement_time_msec": Field(
            label="Engagement Time in Milliseconds",
            description="Time the user engaged, in ms. GA4 only counts users with a non-zero engagement time.",
            type="number",
            default=1,
        ),
        "params": Field(
            label="Event Parameters",
            description="More event parameters (strings or numbers) to send with the event.",
            type="object",
            additional_properties=True,
        ),
        "ad_user_data_consent": Field(
            label="Ad User Data Consent State",
            description="Consent to send this user's data to Google for advertising.",
            choices=("GRANTED", "DENIED"),
        ),
        "ad_personalization_consent": Field(
            label="Ad Personalization Consent State",
            description="Consent to personalised advertising for this user.",
            choices=("GRANTED", "DENIED"),
        ),
    }


def currency(required: bool = False) -> Field:
    return Field(
        label="Currency",
        description="Currency of the value and items, in 3-letter ISO 4217 format (e.g. USD).",
        required=required,
        default=_path("$.properties.currency"),
    )


def value(path: str = "$.properties.value") -> Field:
    return Field(label="Value", description="The monetary value of the event.", type="number", default=_path(path))


def affiliation() -> Field:
    return Field(
        label="Affiliation",
        description="Store or affiliation the transaction came from (e.g. Google Store).",
        default=_path("$.properties.affiliation"),
    )


def transaction_id() -> Field:
    return Field(
        label="Order Id",
        description="The unique identifier of the transaction.",
        required=True,
        default=_path("$.properties.order_id"),
    )


def shipping() -> Field:
    return Field(label="Shipping", description="Shipping cost of the transaction.", type="number",
                 default=_path("$.properties.shipping"))


def tax() -> Field:
    return Field(label="Tax", description="Tax of the transaction.", type="number", default=_path("$.properties.tax"))


_ITEM_PROPERTIES: dict[str, Field] = {
    "item_id": Field(label="Product ID", description="Identifier of the product."),
    "item_name": Field(label="Name", description="Name of the product."),
    "affiliation": Field(label="Affiliation", description="Supplying company or store of the product."),
    "coupon": Field(label="Coupon", description="Coupon code applied to the item."),
    "currency": Field(label="Currency", description="Currency of the item's price, in ISO 4217 format."),
    "discount": Field(label="Discount", description="Monetary discount on the item.", type="number"),
    "index": Field(label="Index", description="Position of the item in a list.", type="number"),
    "item_brand": Field(label="Brand", description="Brand of the product."),
    "item_category": Field(label="Category", description="Product category."),
    **{
        f"item_category{n}": Field(label=f"Category {n}", description=f"Product category {n}.")
        for n in range(2, 6)
    },
    "item_list_id": Field(label="Item List ID", description="ID of the list the item was shown in."),
    "item_list_name": Field(label="Item List Name", description="Name of the list the item was shown in."),
    "item_variant": Field(label="Variant", description="Variant of the product (e.g. Black)."),
    "location_id": Field(label="Location ID", description="The location associated with the item."),
    "price": Field(label="Price", description="Price of one unit, in the currency.", type="number"),
    "quantity": Field(label="Quantity", description="Item quantity.", type="integer"),
}
_PROMOTION_ITEM_PROPERTIES: dict[str, Field] = {
    "creative_name": Field(label="Creative Name", description="Name of the promotional creative."),
    "creative_slot": Field(label="Creative Slot", description="Name of the promotional creative slot."),
    "promotion_id": Field(label="Promotion ID", description="ID of the promotion."),
    "promotion_name": Field(label="Promotion Name", description="Name of the promotion."),
}

# A Segment product (`product_id`, `name`, ...) as a GA4 item; `index` only for product lists.
_ITEM_MAPPING = {
    "item_id": "$.product_id",
    "item_name": "$.name",
    "affiliation": "$.affiliation",
    "coupon": "$.coupon",
    "index": "$.position",
    "item_brand": "$.brand",
    "item_category": "$.category",
    "item_variant": "$.variant",
    "price": "$.price",
    "quantity": "$.quantity",
}


def items(*, product_list: bool, required: bool = True, promotion: bool = False) -> Field:
    """Products: `$.properties.products` (a list event) or the event's own properties (one product)."""
    root = "$.properties.products" if product_list else "$.properties"
    shape = {k: _path(v) for k, v in _ITEM_MAPPING.items() if product_list or k != "index"}
    properties = {**_ITEM_PROPERTIES, **(_PROMOTION_ITEM_PROPERTIES if promotion else {})}
    return Field(
        label="Products",
        description="The products of the event.",
        type="object",
        multiple=True,
        required=required,
        properties=properties,
        additional_properties=True,
        default={"@arrayPath": [root, shape]},
    )


def text(label: str, description: str, path: str | None = None, *, required: bool = False) -> Field:
    """A plain string parameter, optionally mapped from `path` by default."""
    extra: dict[str, Any] = {"default": _path(path)} if path else {}
    return Field(label=label, description=description, required=required, **extra)
