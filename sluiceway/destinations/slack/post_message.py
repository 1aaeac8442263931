"""Post Message: `POST <webhook url>` with `{"channel", "text", "username", "icon_url"}`.

Slack answers 200 `ok`; 400 `invalid_payload`/`no_text`, 403, 404 `channel_not_found`
and 410 `channel_is_archived` are permanent, 429 (about one message per second per
webhook) and 5xx are retried. Modern webhooks post to the channel chosen at install and
ignore `channel`, `username` and `icon_url`; legacy ones honour them, so they are sent.
"""

from __future__ import annotations

import re
from typing import Any

from sluiceway.kit import Action, Field, IntegrationError, RequestClient, Response

# Segment's check: an https URL on a slack.com host, a path of letters, digits and slashes.
SLACK_WEBHOOK_URL = re.compile(r"^https://[a-zA-Z0-9.-]+\.slack.com[/a-zA-Z0-9]+$")
# The message body, in this order; a field left empty is left out.
MESSAGE_KEYS = ("channel", "text", "username", "icon_url")


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    if not SLACK_WEBHOOK_URL.match(payload["url"]):
        # Segment's code here is the text "Bad Request"; ours is its HTTP-status name.
        raise IntegrationError("Invalid Slack URL", "BAD_REQUEST", 400)
    message = {key: payload[key] for key in MESSAGE_KEYS if key in payload}
    return await request(payload["url"], method="POST", json=message)


post_message = Action(
    title="Post Message",
    description=(
        "Post a message to the specified Slack workspace and channel when the associated "
        "trigger criteria are met."
    ),
    fields={
        "url": Field(
            label="Webhook URL",
            description="The webhook provided by Slack to connect with the desired Slack workspace.",
            type="string",
            required=True,
            format="uri",
        ),
        "text": Field(
            label="Message",
            description=(
                "The text message to post to Slack. You can use [Slack's formatting syntax.]"
                "(https://api.slack.com/reference/surfaces/formatting)"
            ),
            type="text",
            required=True,
        ),
        "channel": Field(
            label="Channel",
            description=(
                "The channel within the Slack workspace. Do not include the `#` character. "
                "For example, use `general`, not `#general`."
            ),
            type="string",
        ),
        "username": Field(
            label="User",
            description="The sender of the posted message.",
            type="string",
            default="Segment",
        ),
        "icon_url": Field(
            label="Icon URL",
            description="The URL of the image that appears next to the User.",
            type="string",
            default="https://logo.clearbit.com/segment.com",
        ),
    },
    perform=perform,
)
