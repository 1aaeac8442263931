"""The event fields Track Event and Track Purchase share (everything but the event name)."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Field


def _path(path: str) -> dict[str, str]:
    return {"@path": path}


def _either(first: str, second: str) -> dict[str, Any]:
    return {"@if": {"exists": _path(first), "then": _path(first), "else": _path(second)}}


def _text(label: str, description: str, path: str | dict[str, Any]) -> Field:
    default = _path(path) if isinstance(path, str) else path
    return Field(label=label, description=description, type="string", default=default)


def _typed(kind: str, label: str, description: str, path: str) -> Field:
    return Field(label=label, description=description, type=kind, default=_path(path))


_UTM_KEYS = {
    "utm_source": ("UTM Source", "source"),
    "utm_medium": ("UTM Medium", "medium"),
    "utm_campaign": ("UTM Campaign", "name"),
    "utm_term": ("UTM Term", "term"),
    "utm_content": ("UTM Content", "content"),
}
_USER_AGENT_DATA = {
    "mobile": ("boolean", "Mobile"),
    "platform": ("string", "Platform"),
    "architecture": ("string", "Architecture"),
    "bitness": ("string", "Bitness"),
    "model": ("string", "Model"),
    "platformVersion": ("string", "PlatformVersion"),
    "uaFullVersion": ("string", "UaFullVersion"),
    "wow64": ("boolean", "wow64"),
}

EVENT_FIELDS: dict[str, Field] = {
    "distinct_id": _text(
        "Distinct ID",
        "A distinct ID specified by you.",
        _either("$.userId", "$.anonymousId"),
    ),
    "anonymous_id": _text("Anonymous ID", "A distinct ID randomly generated prior to calling identify.", "$.anonymousId"),
    "user_id": _text("User ID", "The distinct ID after calling identify.", "$.userId"),
    "group_id": _text("Group ID", "The unique identifier of the group that performed this event.", "$.context.groupId"),
    "insert_id": _text("Insert ID", "A random id that is unique to an event; Mixpanel deduplicates on it.", "$.messageId"),
    "time": Field(
        label="Timestamp",
        description="The timestamp of the event. If time is not sent with the event, it will be set to the time the event arrives.",
        type="datetime",
        default=_path("$.timestamp"),
    ),
    "app_name": _text("App Name", "The name of your application.", "$.context.app.name"),
    "app_namespace": _text("App Namespace", "The namespace of your application.", "$.context.app.namespace"),
    "app_build": _text("App Build", "The current build of your application.", "$.context.app.build"),
    "app_version": _text("App Version", "The current version of your application.", "$.context.app.version"),
    "os_name": _text("OS Name", "The name of the mobile operating system or browser that the user is using.", "$.context.os.name"),
    "os_version": _text("OS Version", "The version of the mobile operating system or browser the user is using.", "$.context.os.version"),
    "device_id": _text("Device ID", "A unique identifier for the device the user is using.", "$.context.device.id"),
    "device_type": _text("Device Type", "The type of the user's device.", "$.context.device.type"),
    "device_name": _text("Device Name", "The name of the user's device.", "$.context.device.name"),
    "device_manufacturer": _text("Device Manufacturer", "The device manufacturer that the user is using.", "$.context.device.manufacturer"),
    "device_model": _text("Device Model", "The device model that the user is using.", "$.context.device.model"),
    "bluetooth": _typed("boolean", "Bluetooth Enabled", "Whether bluetooth is enabled.", "$.context.network.bluetooth"),
    "carrier": _text("Carrier", "The carrier that the user is using.", "$.context.network.carrier"),
    "cellular": _typed("boolean", "Cellular Enabled", "Whether cellular is enabled.", "$.context.network.cellular"),
    "wifi": _typed("boolean", "Wifi", "Whether wifi is enabled.", "$.context.network.wifi"),
    "country": _text("Country", "The current country of the user.", "$.context.location.country"),
    "region": _text("Region", "The current region of the user.", "$.context.location.region"),
    "language": _text("Language", "The language set by the user.", "$.context.locale"),
    "library_name": _text("Library Name", "The name of the SDK used to send events.", "$.context.library.name"),
    "library_version": _text("Library Version", "The version of the SDK used to send events.", "$.context.library.version"),
    "ip": _text("IP Address", "The IP address of the user. This is only used for geolocation and won't be stored.", "$.context.ip"),
    "idfa": _text(
        "Identifier For Advertiser (IDFA)",
        "Identifier for Advertiser. _(iOS)_",
        _either("$.context.device.advertisingId", "$.context.device.idfa"),
    ),
    "url": _text("URL", "The full URL of the webpage on which the event is triggered.", "$.context.page.url"),
    "screen_width": _typed("number", "Screen width", "Width, in pixels, of the device screen.", "$.context.screen.width"),
    "screen_height": _typed("number", "Screen height", "Height, in pixels, of the device screen.", "$.context.screen.height"),
    "screen_density": _typed("number", "Screen density", "Pixel density of the device screen.", "$.context.screen.density"),
    "referrer": _text("Referrer", "Referrer url", "$.context.page.referrer"),
    "userAgent": _text("User Agent", "User agent", "$.context.userAgent"),
    "advertising_id": _text("Advertising ID", "Advertising ID", "$.context.device.advertisingId"),
    "ad_tracking_enabled": _text("Ad Tracking Enabled", "Ad Tracking Enabled (true or false)", "$.context.device.adTrackingEnabled"),
    "timezone": _text("Timezone", "The event timezone", "$.context.timezone"),
    "app_platform": _text("App Platform", "The App Platform, if applicable", "$.context.app.platform"),
    "name": _text("Event Original Name", "The Event Original Name, if applicable", _either("$.event", "$.name")),
    "event_properties": _typed("object", "Event Properties", "An object of key-value pairs that represent additional data to be sent along with the event.", "$.properties"),
    "context": Field(
        label="Event context",
        description="An object of key-value pairs that provides useful context about the event.",
        type="object",
        hidden=True,
        default=_path("$.context"),
    ),
    "utm_properties": Field(
        label="UTM Properties",
        description="UTM Tracking Properties",
        type="object",
        properties={key: Field(label=label) for key, (label, _) in _UTM_KEYS.items()},
        default={key: _path(f"$.context.campaign.{source}") for key, (_, source) in _UTM_KEYS.items()},
    ),
    "enable_batching": Field(
        label="Batch Data to Mixpanel",
        description="Set as true to ensure Segment sends data to Mixpanel in batches.",
        type="boolean",
        default=True,
    ),
    "batch_size": Field(
        label="Batch Size",
        description="Maximum number of events to include in each batch. Actual batch sizes may be lower.",
        type="number",
        minimum=1,
        maximum=2000,
        default=1000,
    ),
    "userAgentData": Field(
        label="User Agent Data",
        description="The user agent data of device sending the event",
        type="object",
        properties={key: Field(label=label, type=kind) for key, (kind, label) in _USER_AGENT_DATA.items()},
        default={key: _path(f"$.context.userAgentData.{key}") for key in _USER_AGENT_DATA},
    ),
}
