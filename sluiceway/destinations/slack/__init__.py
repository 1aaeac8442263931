"""Slack: post messages to a channel through an incoming webhook.

https://api.slack.com/messaging/webhooks. There are no settings and no authentication:
the incoming-webhook URL, a field of the action, is the secret.
"""

from __future__ import annotations

from sluiceway.kit import Destination

from .post_message import post_message

destination = Destination(
    name="Slack",
    slug="actions-slack",
    description="Post messages to Slack channels through incoming webhooks.",
    base_urls=("https://hooks.slack.com",),
    actions={"postToChannel": post_message},
)
