"""The `properties` object of an /import event, built from the shared event fields.

Mixpanel's reserved properties come first, in Segment's order, then the mapped
`event_properties` (without the keys that would overwrite the event's identity).
`$device_id` carries the anonymous id, as Segment sends it, because that is what
Mixpanel's simplified ID merge joins anonymous and identified events on.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import epoch_ms, first_present, random_insert_id

RESERVED_EVENT_PROPERTIES = frozenset(
    {"time", "id", "$anon_id", "distinct_id", "$group_id", "$insert_id", "$user_id"}
)
_BROWSER_VERSIONS = {
    "Internet Explorer Mobile": re.compile(r"rv:(\d+(\.\d+)+)"),
    "Microsoft Edge": re.compile(r"Edge?/(\d+(\.\d+)+)"),
    "Chrome": re.compile(r"Chrome/(\d+(\.\d+)+)"),
    "Chrome iOS": re.compile(r"CriOS/(\d+(\.\d+)+)"),
    "UC Browser": re.compile(r"(UCBrowser|UCWEB)/(\d+(\.\d+)+)"),
    "Safari": re.compile(r"Version/(\d+(\.\d+)+)"),
    "Mobile Safari": re.compile(r"Version/(\d+(\.\d+)+)"),
    "Opera": re.compile(r"(Opera|OPR)/(\d+(\.\d+)+)"),
    "Firefox": re.compile(r"Firefox/(\d+(\.\d+)+)"),
    "Firefox iOS": re.compile(r"FxiOS/(\d+(\.\d+)+)"),
    "Konqueror": re.compile(r"Konqueror:(\d+(\.\d+)+)"),
    "BlackBerry": re.compile(r"BlackBerry (\d+(\.\d+)+)"),
    "Android Mobile": re.compile(r"android\s(\d+(\.\d+)+)"),
    "Samsung Internet": re.compile(r"SamsungBrowser/(\d+(\.\d+)+)"),
    "Internet Explorer": re.compile(r"(rv:|MSIE )(\d+(\.\d+)+)"),
    "Mozilla": re.compile(r"rv:(\d+(\.\d+)+)"),
}
# (browser, any of these substrings); the first match wins. Opera and Safari are refined below.
_BROWSERS = (
    ("Internet Explorer Mobile", ("IEMobile", "WPDesktop")),
    ("Samsung Internet", ("SamsungBrowser/",)),
    ("Microsoft Edge", ("Edge", "Edg/")),
    ("Facebook Mobile", ("FBIOS",)),
    ("Chrome", ("Chrome",)),
    ("Chrome iOS", ("CriOS",)),
    ("UC Browser", ("UCWEB", "UCBrowser")),
    ("Firefox iOS", ("FxiOS",)),
    ("Safari", ("Safari",)),
    ("Android Mobile", ("Android",)),
    ("Konqueror", ("Konqueror",)),
    ("Firefox", ("Firefox",)),
    ("Internet Explorer", ("MSIE", "Trident/")),
    ("Mozilla", ("Gecko",)),
)
_BLACKBERRY = re.compile(r"BlackBerry|PlayBook|BB10", re.IGNORECASE)


def browser_name(user_agent: str) -> str:
    """Mixpanel's own browser detection (the same list its JavaScript SDK uses)."""
    if " OPR/" in user_agent:
        return "Opera Mini" if "Mini" in user_agent else "Opera"
    if _BLACKBERRY.search(user_agent):
        return "BlackBerry"
    for name, needles in _BROWSERS:
        if any(needle in user_agent for needle in needles):
            if name == "Safari" and "iPhone" in user_agent:
                return "Mobile Safari"
            return name
    return ""


def browser_version(user_agent: str) -> str | None:
    pattern = _BROWSER_VERSIONS.get(browser_name(user_agent))
    match = pattern.search(user_agent) if pattern else None
    return match.groups()[-2] if match else None


def event_properties(payload: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Reserved properties, then the event's own; None values are left out of the JSON."""
    utm = payload.get("utm_properties") or {}
    agent = payload.get("userAgentData") or {}
    user_agent = payload.get("userAgent")
    context = payload.get("context") or {}
    integration = context.get("integration") if isinstance(context, dict) else None
    source = "Iterable" if isinstance(integration, dict) and integration.get("name") == "Iterable" else "segment"
    library = payload.get("library_name")
    reserved = {
        "time": epoch_ms(payload.get("time")),
        "ip": payload.get("ip"),
        "id": payload.get("distinct_id"),
        "$anon_id": payload.get("anonymous_id"),
        "distinct_id": first_present(payload.get("distinct_id"), ""),
        "$app_build_number": payload.get("app_build"),
        "$app_version_string": payload.get("app_version"),
        "$app_namespace": payload.get("app_namespace"),
        "$app_name": payload.get("app_name"),
        "$browser": browser_name(user_agent) if user_agent else None,
        "$browser_version": browser_version(user_agent) if user_agent else None,
        "$bluetooth_enabled": payload.get("bluetooth"),
        "$cellular_enabled": payload.get("cellular"),
        "$carrier": payload.get("carrier"),
        "$current_url": payload.get("url"),
        "$device": payload.get("device_name"),
        "$device_id": payload.get("anonymous_id"),
        "$device_type": payload.get("device_type"),
        "$device_name": payload.get("device_name"),
        "$group_id": payload.get("group_id"),
        "$identified_id": payload.get("user_id"),
        "$insert_id": payload.get("insert_id") or random_insert_id(),
        "$ios_ifa": payload.get("idfa"),
        "$lib_version": payload.get("library_version"),
        "$locale": payload.get("language"),
        "$manufacturer": payload.get("device_manufacturer"),
        "$model": payload.get("device_model"),
        "$os": payload.get("os_name"),
        "$os_version": payload.get("os_version"),
        "$referrer": payload.get("referrer"),
        "$screen_height": payload.get("screen_height"),
        "$screen_width": payload.get("screen_width"),
        "$screen_density": payload.get("screen_density"),
        "$source": source,
        "$user_id": payload.get("user_id"),
        "$wifi_enabled": payload.get("wifi"),
        "mp_country_code": payload.get("country"),
        "mp_lib": f"Segment Actions: {library}" if library else None,
        "segment_source_name": settings.get("sourceName"),
        **{key: utm.get(key) for key in ("utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term")},
        "advertising_id": payload.get("advertising_id"),
        "ad_tracking_enabled": payload.get("ad_tracking_enabled"),
        "timezone": payload.get("timezone"),
        "app_platform": payload.get("app_platform"),
        "event_original_name": payload.get("name"),
        **{f"${key}": agent.get(key) for key in ("mobile", "platform", "bitness", "platformVersion", "uaFullVersion", "wow64")},
    }
    properties = {key: value for key, value in reserved.items() if value is not None}
    own = payload.get("event_properties") or {}
    properties.update((key, value) for key, value in own.items() if key not in RESERVED_EVENT_PROPERTIES)
    return properties
