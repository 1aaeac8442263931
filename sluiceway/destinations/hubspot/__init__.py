"""HubSpot: contacts and custom behavioral events through HubSpot's public APIs (OAuth 2).

CRM API v3 (https://developers.hubspot.com/docs/api/crm/contacts), custom events
(https://developers.hubspot.com/docs/api/analytics/events) and OAuth v1
(https://developers.hubspot.com/docs/api/oauth/tokens), all on `https://api.hubapi.com`.

Every request carries `authorization: Bearer <access token>`. HubSpot access tokens live
30 minutes; on a 401 the kit calls `refresh_access_token` once (shared by concurrent
401s) and runs the action again. The refresh posts the refresh token with the app's
client id and secret to `/oauth/v1/token`. Segment's OAuth service supplies the client
credentials under `settings["oauth"]`; a self-hosted install that keeps its HubSpot app
credentials out of every instance may set `HUBSPOT_CLIENT_ID` / `HUBSPOT_CLIENT_SECRET`
in the environment instead (used only when the instance has none). As in Segment, only
the new access token is kept: HubSpot does not rotate refresh tokens.

Segment ships no presets for HubSpot. Not ported (yet): Upsert Company (it associates
the company with the contact id an Upsert Contact of the same event left in Segment's
per-event transaction context, which the kit does not have), Upsert Custom Object
Record and the V2 object/event actions.
"""

from __future__ import annotations

import os
from typing import Any

from sluiceway.kit import Authentication, AuthTokens, Destination, Field, RequestClient

from ._common import API
from .send_custom_behavioral_event import send_custom_behavioral_event
from .upsert_contact import upsert_contact

TOKEN_URL = f"{API}/oauth/v1/token"


def extend_request(settings: dict[str, Any], auth: AuthTokens | None, payload: Any) -> dict[str, Any]:
    token = auth.access_token if auth else None
    return {"base_url": API, "headers": {"authorization": f"Bearer {token}"}}


async def test_authentication(request: RequestClient, settings: dict[str, Any], auth: AuthTokens | None) -> None:
    await request("/crm/v3/objects/contacts?limit=1")


async def refresh_access_token(request: RequestClient, settings: dict[str, Any], auth: AuthTokens) -> dict[str, Any]:
    response = await request(
        TOKEN_URL,
        method="POST",
        form={
            "refresh_token": auth.refresh_token,
            "client_id": auth.client_id or os.environ.get("HUBSPOT_CLIENT_ID"),
            "client_secret": auth.client_secret or os.environ.get("HUBSPOT_CLIENT_SECRET"),
            "grant_type": "refresh_token",
        },
    )
    data = response.data if isinstance(response.data, dict) else {}
    return {"access_token": data.get("access_token")}


destination = Destination(
    name="HubSpot Cloud Mode (Actions)",
    slug="actions-hubspot-cloud",
    description="Send contacts and custom behavioral events to HubSpot.",
    settings={
        "portalId": Field(
            label="Hub ID",
            description=(
                "The Hub ID of your HubSpot account. When set, custom behavioral event names must "
                "start with pe<Hub ID>_."
            ),
            type="string",
        ),
    },
    authentication=Authentication(
        scheme="oauth2", test_authentication=test_authentication, refresh_access_token=refresh_access_token
    ),
    extend_request=extend_request,
    base_urls=(API,),
    actions={
        "sendCustomBehavioralEvent": send_custom_behavioral_event,
        "upsertContact": upsert_contact,
    },
)
