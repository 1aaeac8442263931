"""Field declarations shared by Amplitude's actions.

`EVENT_SCHEMA` is the event shape of the HTTP V2 API (user_id ... library2) that Log
Event, Log Event V2 and Log Purchase share; the other names are the extra fields those
actions (and Identify User) add on top, declared once here.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Field


def path(json_path: str) -> dict[str, str]:
    return {"@path": json_path}


def _first_of(primary: str, fallback: str) -> dict[str, Any]:
    return {"@if": {"exists": path(primary), "then": path(primary), "else": path(fallback)}}


def _string(label: str, description: str = "", default: Any = None, **extra: Any) -> Field:
    if default is not None:
        extra["default"] = default
    return Field(label=label, description=description, type="string", **extra)


USER_ID = Field(
    label="User ID",
    description="A readable ID specified by you. Must have a minimum length of 5 characters.",
    type="string",
    allow_null=True,
    default=path("$.userId"),
)
DEVICE_ID = _string(
    "Device ID",
    "A device-specific identifier, such as the Identifier for Vendor on iOS.",
    _first_of("$.context.device.id", "$.anonymousId"),
)
USER_PROPERTIES = Field(
    label="User Properties",
    description="Attributes of the user, replacing earlier values (`$set`).",
    type="object",
    default=path("$.traits"),
)
GROUPS = Field(
    label="Groups",
    description="Groups of users the event belongs to, as `{group type: group value}`.",
    type="object",
)
MIN_ID_LENGTH = Field(
    label="Minimum ID Length",
    description=(
        "Amplitude requires user_id and device_id of at least 5 characters; "
        "this overrides that minimum."
    ),
    type="integer",
    allow_null=True,
)
INSERT_ID = _string("Insert ID", "A unique ID Amplitude uses to drop duplicates of this event.")

# Device, location and language: the same fields in events and identifications.
DEVICE_FIELDS: dict[str, Field] = {
    "app_version": _string(
        "App Version", "The current version of your application.", path("$.context.app.version")
    ),
    "platform": _string("Platform", "Platform of the device.", path("$.context.device.type")),
    "os_name": _string("OS Name", "The name of the device's OS.", path("$.context.os.name")),
    "os_version": _string(
        "OS Version", "The version of the device's OS.", path("$.context.os.version")
    ),
    "device_brand": _string("Device Brand", "The device brand.", path("$.context.device.brand")),
    "device_manufacturer": _string(
        "Device Manufacturer", "The device manufacturer.", path("$.context.device.manufacturer")
    ),
    "device_model": _string("Device Model", "The device model.", path("$.context.device.model")),
    "carrier": _string("Carrier", "The carrier of the device.", path("$.context.network.carrier")),
    "country": _string(
        "Country", "The current country of the user.", path("$.context.location.country")
    ),
    "region": _string(
        "Region", "The current region of the user.", path("$.context.location.region")
    ),
    "city": _string("City", "The current city of the user.", path("$.context.location.city")),
    "dma": _string("Designated Market Area", "The current Designated Market Area of the user."),
    "language": _string("Language", "The language set by the user.", path("$.context.locale")),
}

_ADVERTISING_ID = _first_of("$.context.device.advertisingId", "$.context.device.idfa")

EVENT_SCHEMA: dict[str, Field] = {
    "user_id": USER_ID,
    "device_id": DEVICE_ID,
    "event_type": _string(
        "Event Type", "A unique identifier for your event.", path("$.event"), required=True
    ),
    "session_id": Field(
        label="Session ID",
        description="The start time of the session, necessary to map events to sessions.",
        type="datetime",
        default=path("$.integrations.Actions Amplitude.session_id"),
    ),
    "time": Field(
        label="Timestamp",
        description="The timestamp of the event; sent as milliseconds since the epoch.",
        type="datetime",
        default=path("$.timestamp"),
    ),
    "event_properties": Field(
        label="Event Properties",
        description="Data to send with the event.",
        type="object",
        default=path("$.properties"),
    ),
    "user_properties": USER_PROPERTIES,
    "groups": GROUPS,
    **DEVICE_FIELDS,
    "price": Field(
        label="Price",
        description="The price of the item purchased.",
        type="number",
        default=path("$.properties.price"),
    ),
    "quantity": Field(
        label="Quantity",
        description="The quantity of the item purchased.",
        type="integer",
        default=path("$.properties.quantity"),
    ),
    "revenue": Field(
        label="Revenue",
        description="Revenue = price * quantity.",
        type="number",
        default=path("$.properties.revenue"),
    ),
    "productId": _string(
        "Product ID", "An identifier for the item purchased.", path("$.properties.productId")
    ),
    "revenueType": _string(
        "Revenue Type", "The type of revenue.", path("$.properties.revenueType")
    ),
    "location_lat": Field(
        label="Latitude",
        description="The current Latitude of the user.",
        type="number",
        default=path("$.context.location.latitude"),
    ),
    "location_lng": Field(
        label="Longtitude",
        description="The current Longitude of the user.",
        type="number",
        default=path("$.context.location.longitude"),
    ),
    "ip": _string(
        "IP Address",
        "The IP address of the user; `$remote` uses the request's.",
        path("$.context.ip"),
    ),
    "idfa": _string(
        "Identifier For Advertiser (IDFA)", "Identifier for Advertiser (iOS).", _ADVERTISING_ID
    ),
    "idfv": _string(
        "Identifier For Vendor (IDFV)", "Identifier for Vendor (iOS).", path("$.context.device.id")
    ),
    "adid": _string(
        "Google Play Services Advertising ID",
        "Google Play Services advertising ID (Android).",
        _ADVERTISING_ID,
    ),
    "android_id": _string("Android ID", "Android ID (not the advertising ID)."),
    "event_id": Field(
        label="Event ID",
        description="An incrementing counter of the user's events.",
        type="integer",
    ),
    "insert_id": INSERT_ID,
    "library": _string(
        "Library",
        "The name of the library that sent the event.",
        path("$.context.library.name"),
        hidden=True,
    ),
    "library2": Field(
        label="Library Settings",
        description='"use_mapping" sends the mapped library name; "auto" sends "segment".',
        type="object",
        properties={
            "behavior": Field(label="Behavior", type="string", choices=("auto", "use_mapping")),
            "mapping": Field(label="Library Mapping", type="string"),
        },
        default={"behavior": "use_mapping", "mapping": path("$.context.library.name")},
    ),
}

_PRODUCT_PROPERTIES = {
    "price": Field(label="Price", type="number"),
    "quantity": Field(label="Quantity", type="integer"),
    "revenue": Field(label="Revenue", type="number"),
    "productId": Field(label="Product ID", type="string"),
    "revenueType": Field(label="Revenue Type", type="string"),
}
PRODUCTS = Field(
    label="Products",
    description="The list of products purchased.",
    type="object",
    multiple=True,
    additional_properties=True,
    properties=_PRODUCT_PROPERTIES,
    default={
        "@arrayPath": ["$.properties.products", {key: path(key) for key in _PRODUCT_PROPERTIES}]
    },
)
USE_BATCH_ENDPOINT = Field(
    label="Use Batch Endpoint",
    description="Send to Amplitude's `batch` endpoint instead of `httpapi` (higher rate limits).",
    type="boolean",
    default=False,
)
UTM_KEYS = {
    "source": "source",
    "medium": "medium",
    "campaign": "name",
    "term": "term",
    "content": "content",
}

USER_AGENT_FIELDS: dict[str, Field] = {
    "userAgent": _string(
        "User Agent", "The user agent of the device sending the event.", path("$.context.userAgent")
    ),
    "userAgentParsing": Field(
        label="User Agent Parsing",
        description="Set OS, device manufacturer, model and type from the user agent.",
        type="boolean",
        default=True,
    ),
    "includeRawUserAgent": Field(
        label="Include Raw User Agent",
        description="Also send the raw user agent string as `user_agent`.",
        type="boolean",
        default=False,
    ),
}
USER_AGENT_DATA = Field(
    label="User Agent Data",
    description="The user agent client hints, which refine the parsed device model and OS version.",
    type="object",
    properties={
        "model": Field(label="Model", type="string"),
        "platformVersion": Field(label="PlatformVersion", type="string"),
    },
    default={
        "model": path("$.context.userAgentData.model"),
        "platformVersion": path("$.context.userAgentData.platformVersion"),
    },
)
UTM_PROPERTIES = Field(
    label="UTM Properties",
    description="UTM tracking properties, set as user properties (and `initial_` ones set once).",
    type="object",
    properties={f"utm_{key}": Field(label=f"UTM {key.title()}", type="string") for key in UTM_KEYS},
    default={
        f"utm_{key}": path(f"$.context.campaign.{source}") for key, source in UTM_KEYS.items()
    },
)
REFERRER = _string(
    "Referrer",
    'The referrer of the web request, set as user properties "referrer" and "initial_referrer".',
    path("$.context.page.referrer"),
)

# Log Event and Log Purchase: the legacy utm/referrer handling instead of set/setOnce/add.
LEGACY_EVENT_EXTRAS: dict[str, Field] = {
    "products": PRODUCTS,
    "use_batch_endpoint": USE_BATCH_ENDPOINT,
    **USER_AGENT_FIELDS,
    "utm_properties": UTM_PROPERTIES,
    "referrer": REFERRER,
    "min_id_length": MIN_ID_LENGTH,
    "userAgentData": USER_AGENT_DATA,
}
