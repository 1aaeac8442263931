"""The user-agent parser behind User Agent Parsing."""

from __future__ import annotations

import pytest

from sluiceway.destinations.amplitude._user_agent import parse_user_agent

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
MAC_CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
SAMSUNG_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


@pytest.mark.parametrize(
    ("user_agent", "parsed"),
    [
        (
            IPHONE_SAFARI,
            {
                "os_name": "Mobile Safari",
                "os_version": "17",
                "device_manufacturer": "Apple",
                "device_model": "iPhone",
                "device_type": "mobile",
            },
        ),
        (
            MAC_CHROME,
            {
                "os_name": "Chrome",
                "os_version": "124",
                "device_manufacturer": "Apple",
                "device_model": "Macintosh",
            },
        ),
        (WINDOWS_EDGE, {"os_name": "Edge", "os_version": "124", "device_model": "Windows"}),
        (
            SAMSUNG_TABLET,
            {
                "os_name": "Samsung Browser",
                "os_version": "24",
                "device_manufacturer": "Samsung",
                "device_model": "SM-X700",
                "device_type": "tablet",
            },
        ),
        (LINUX_FIREFOX, {"os_name": "Firefox", "os_version": "125", "device_model": "Linux"}),
        ("curl/8.5.0", {}),
        ("", {}),
    ],
)
def test_browser_os_and_device_are_read_from_the_user_agent(user_agent: str, parsed: dict) -> None:
    assert parse_user_agent(user_agent) == parsed


def test_client_hints_refine_the_model_and_os_version() -> None:
    hints = {"model": "Pixel 8 Pro", "platformVersion": "14.0.0"}

    parsed = parse_user_agent(WINDOWS_EDGE, hints)

    assert (parsed["device_model"], parsed["os_version"]) == ("Pixel 8 Pro", "14.0.0")
