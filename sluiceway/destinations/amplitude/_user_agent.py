"""Device and OS properties from a user-agent string, as Amplitude's SDKs report them.

Segment uses `@amplitude/ua-parser-js`; no Python port of it exists, so this is a small
parser for the user agents that make up nearly all traffic (Chrome, Edge, Firefox,
Safari, Opera, Samsung Internet on Windows, macOS, iOS, Android, Linux, Chrome OS).
Amplitude's convention is kept: `os_name` is the browser's name and `os_version` its
major version when a browser is recognised, else the OS's. A user agent it does not
recognise yields only what it could read; mapped fields always take precedence.
Client hints (`userAgentData`) refine the model and OS version, as in Segment.
"""

from __future__ import annotations

import re
from typing import Any

# Order matters: Edge and Opera and Samsung also say "Chrome", Chrome also says "Safari".
_BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Edge", re.compile(r"\b(?:Edg|EdgA|EdgiOS|Edge)/(\d+)")),
    ("Opera", re.compile(r"\b(?:OPR|OPiOS)/(\d+)")),
    ("Samsung Browser", re.compile(r"\bSamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"\b(?:CriOS|Chrome)/(\d+)")),
    ("Mobile Safari", re.compile(r"\bVersion/(\d+)[\d.]* Mobile/\S+ Safari/")),
    ("Safari", re.compile(r"\bVersion/(\d+)[\d.]* Safari/")),
)
_IOS = re.compile(r"\b(iPhone|iPad|iPod)\b.*? OS (\d+(?:_\d+)*)")
_ANDROID = re.compile(r"\bAndroid (\d+(?:\.\d+)*)(?:; ([^;)]+?))?(?: Build/[^;)]*)?[;)]")
_WINDOWS = re.compile(r"\bWindows NT (\d+\.\d+)")
_MAC = re.compile(r"\bMac OS X (\d+(?:[._]\d+)*)")
_CHROME_OS = re.compile(r"\bCrOS \S+ (\d+(?:\.\d+)*)")
_WINDOWS_VERSIONS = {
    "10.0": "10",
    "6.3": "8.1",
    "6.2": "8",
    "6.1": "7",
    "6.0": "Vista",
    "5.1": "XP",
}
_ANDROID_VENDORS = (
    (re.compile(r"^(?:SM-|GT-|SAMSUNG)", re.I), "Samsung"),
    (re.compile(r"^Pixel\b"), "Google"),
    (re.compile(r"^(?:Redmi|Mi |M2\d)", re.I), "Xiaomi"),
    (re.compile(r"^(?:ONEPLUS|CPH|KB2|LE2|NE2)", re.I), "OnePlus"),
    (re.compile(r"^moto", re.I), "Motorola"),
    (re.compile(r"^(?:LM-|LG-)", re.I), "LG"),
)


def parse_user_agent(user_agent: str | None, hints: dict[str, Any] | None = None) -> dict[str, str]:
    """`os_name`, `os_version`, `device_manufacturer`, `device_model`, `device_type` (those found)."""
    if not user_agent:
        return {}
    hints = hints or {}
    os_name, os_version = _operating_system(user_agent)
    browser, major = _browser(user_agent)
    manufacturer, model, device_type = _device(user_agent)
    parsed = {
        "os_name": browser or os_name,
        "os_version": hints.get("platformVersion") or major or os_version,
        "device_manufacturer": manufacturer,
        "device_model": hints.get("model") or model or os_name,
        "device_type": device_type,
    }
    return {key: value for key, value in parsed.items() if value}


def _browser(user_agent: str) -> tuple[str | None, str | None]:
    for name, pattern in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            return name, match.group(1)
    return None, None


def _operating_system(user_agent: str) -> tuple[str | None, str | None]:
    if match := _IOS.search(user_agent):
        return "iOS", match.group(2).replace("_", ".")
    if match := _ANDROID.search(user_agent):
        return "Android", match.group(1)
    if match := _WINDOWS.search(user_agent):
        return "Windows", _WINDOWS_VERSIONS.get(match.group(1), match.group(1))
    if match := _CHROME_OS.search(user_agent):
        return "Chromium OS", match.group(1)
    if match := _MAC.search(user_agent):
        return "Mac OS", match.group(1).replace("_", ".")
    if "Linux" in user_agent:
        return "Linux", None
    return None, None


def _device(user_agent: str) -> tuple[str | None, str | None, str | None]:
    if match := _IOS.search(user_agent):
        model = match.group(1)
        return "Apple", model, "tablet" if model == "iPad" else "mobile"
    if match := _ANDROID.search(user_agent):
        model = (match.group(2) or "").strip() or None
        if model in ("K", "Linux"):  # reduced user agents hide the model
            model = None
        vendor = next(
            (name for pattern, name in _ANDROID_VENDORS if model and pattern.search(model)), None
        )
        return vendor, model, "mobile" if "Mobile" in user_agent else "tablet"
    if _MAC.search(user_agent) and "Macintosh" in user_agent:
        return "Apple", "Macintosh", None
    return None, None, None
