"""Intercom: contacts, companies and data events through Intercom's REST API (OAuth 2).

https://developers.intercom.com/docs/references/rest-api/api.intercom.io. Every request
carries `authorization: Bearer <access token>` and nothing else: no `Intercom-Version`
header, so the API version chosen in the app's settings applies, as with Segment.

Intercom access tokens do not expire and there is no refresh: a 401 ends in
OAUTH_REFRESH_FAILED (the kit's answer for an OAuth destination without a refresh
hook). Segment ships no presets and no settings for Intercom. Segment's `onDelete`
(GDPR deletion of the contact) is not ported: the kit has no deletion hook.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, AuthTokens, Destination, RequestClient

from ._common import API
from .group_identify_contact import group_identify_contact
from .identify_contact import identify_contact
from .track_event import track_event


def extend_request(settings: dict[str, Any], auth: AuthTokens | None, payload: Any) -> dict[str, Any]:
    token = auth.access_token if auth else None
    return {"base_url": API, "headers": {"authorization": f"Bearer {token}"}}


async def test_authentication(request: RequestClient, settings: dict[str, Any], auth: AuthTokens | None) -> None:
    await request("/me")


destination = Destination(
    name="Intercom Cloud Mode (Actions)",
    slug="actions-intercom-cloud",
    description="Send contacts, companies and events to Intercom.",
    authentication=Authentication(scheme="oauth2", test_authentication=test_authentication),
    extend_request=extend_request,
    base_urls=(API,),
    actions={
        "identifyContact": identify_contact,
        "groupIdentifyContact": group_identify_contact,
        "trackEvent": track_event,
    },
)
