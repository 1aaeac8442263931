"""Amplitude's hosts per data-residency region (`endpoint` setting).

North America is the default; an unknown region falls back to it, as in Segment. The
usermap API lives on `api.amplitude.com` (not `api2.`) in North America: that is the
host Amplitude documents for the User Mapping API.
"""

from __future__ import annotations

from typing import Any

NORTH_AMERICA = "north_america"
EUROPE = "europe"

ENDPOINTS: dict[str, dict[str, str]] = {
    NORTH_AMERICA: {
        "httpapi": "https://api2.amplitude.com/2/httpapi",
        "batch": "https://api2.amplitude.com/batch",
        "identify": "https://api2.amplitude.com/identify",
        "groupidentify": "https://api2.amplitude.com/groupidentify",
        "usermap": "https://api.amplitude.com/usermap",
        "usersearch": "https://amplitude.com/api/2/usersearch",
        "deletions": "https://amplitude.com/api/2/deletions/users",
    },
    EUROPE: {
        "httpapi": "https://api.eu.amplitude.com/2/httpapi",
        "batch": "https://api.eu.amplitude.com/batch",
        "identify": "https://api.eu.amplitude.com/identify",
        "groupidentify": "https://api.eu.amplitude.com/groupidentify",
        "usermap": "https://api.eu.amplitude.com/usermap",
        "usersearch": "https://analytics.eu.amplitude.com/api/2/usersearch",
        "deletions": "https://analytics.eu.amplitude.com/api/2/deletions/users",
    },
}

# Every origin above, for the catalog's `base_urls`.
BASE_URLS = (
    "https://api2.amplitude.com",
    "https://api.amplitude.com",
    "https://amplitude.com",
    "https://api.eu.amplitude.com",
    "https://analytics.eu.amplitude.com",
)


def endpoint(name: str, settings: dict[str, Any]) -> str:
    """The URL of API `name` in the instance's region."""
    hosts = ENDPOINTS.get(str(settings.get("endpoint")), ENDPOINTS[NORTH_AMERICA])
    return hosts[name]
