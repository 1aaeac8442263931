"""Fields the v1 and v2 versions of FullStory's actions share."""

from __future__ import annotations

from sluiceway.kit import Field


def event_fields(*, user_required: bool) -> dict[str, Field]:
    return {
        "userId": Field(
            label="User ID", description="The user's id.", required=user_required, default={"@path": "$.userId"}
        ),
        "name": Field(label="Name", description="The name of the event.", required=True, default={"@path": "$.event"}),
        "properties": Field(
            label="Properties",
            description="Information about the event, indexed by FullStory.",
            type="object",
            default={"@path": "$.properties"},
        ),
        "timestamp": Field(
            label="Timestamp",
            description="When the event happened; FullStory uses its own time when it is missing.",
            type="datetime",
            default={"@path": "$.timestamp"},
        ),
        "useRecentSession": Field(
            label="Use Recent Session",
            description="Attach the event to the user's most recent session (active in the last 30 minutes).",
            type="boolean",
        ),
        "sessionUrl": Field(
            label="Session URL",
            description="The FullStory session replay URL to attach the event to, from FS.getCurrentSessionURL().",
        ),
    }


def user_fields(*, id_key: str, traits_key: str, user_required: bool) -> dict[str, Field]:
    return {
        id_key: Field(label="User ID", description="The user's id.", required=user_required, default={"@path": "$.userId"}),
        "anonymousId": Field(
            label="Anonymous ID", description="The user's anonymous id.", default={"@path": "$.anonymousId"}
        ),
        "displayName": Field(
            label="Display Name", description="The user's display name.", default={"@path": "$.traits.name"}
        ),
        "email": Field(label="Email", description="The user's email.", default={"@path": "$.traits.email"}),
        traits_key: Field(
            label="Traits",
            description="The Segment traits to forward to FullStory.",
            type="object",
            default={"@path": "$.traits"},
        ),
    }
