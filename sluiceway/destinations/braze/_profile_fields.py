"""The fields of Update User Profile: Braze's standard user attributes, then custom ones."""

from __future__ import annotations

from sluiceway.kit import Field

from ._common import batching_fields, braze_id_field, external_id_field, user_alias_field


def _path(path: str) -> dict[str, str]:
    return {"@path": path}


def _nullable(label: str, description: str, type: str = "string", **extra: object) -> Field:
    return Field(label=label, description=description, type=type, allow_null=True, **extra)  # type: ignore[arg-type]


PROFILE_FIELDS: dict[str, Field] = {
    "external_id": external_id_field(),
    "user_alias": user_alias_field(),
    "braze_id": braze_id_field(),
    "country": _nullable(
        "Country", "The country code of the user", default=_path("$.context.location.country")
    ),
    "current_location": _nullable(
        "Current Location",
        "The user's current longitude/latitude.",
        type="object",
        properties={
            "latitude": Field(label="Latitude", type="number"),
            "longitude": Field(label="Longitude", type="number"),
        },
        default={
            "latitude": _path("$.context.location.latitude"),
            "longitude": _path("$.context.location.longitude"),
        },
    ),
    "date_of_first_session": _nullable(
        "Date of First Session", "The date the user first used the app", type="datetime"
    ),
    "date_of_last_session": _nullable(
        "Date of Last Session", "The date the user last used the app", type="datetime"
    ),
    "dob": _nullable("Date of Birth", "The user's date of birth", type="datetime"),
    "email": _nullable("Email", "The user's email", default=_path("$.traits.email")),
    "email_subscribe": Field(
        label="Email Subscribe",
        description=(
            "The user's email subscription preference: “opted_in” (explicitly registered to "
            "receive email messages), “unsubscribed” (explicitly opted out of email messages), "
            "and “subscribed” (neither opted in nor out)."
        ),
        type="string",
    ),
    "email_open_tracking_disabled": Field(
        label="Email Open Tracking Disabled",
        description=(
            "Set to true to disable the open tracking pixel from being added to all future "
            "emails sent to this user."
        ),
        type="boolean",
    ),
    "email_click_tracking_disabled": Field(
        label="Email Click Tracking Disabled",
        description=(
            "Set to true to disable the click tracking for all links within a future email, "
            "sent to this user."
        ),
        type="boolean",
    ),
    "facebook": Field(
        label="Facebook Attribution Data",
        description=(
            "Hash of Facebook attribution containing any of `id` (string), `likes` (array of "
            "strings), `num_friends` (integer)."
        ),
        type="object",
        properties={
            "id": Field(label="Facebook ID", type="string"),
            "likes": Field(label="Facebook Likes", type="string", multiple=True),
            "num_friends": Field(label="Facebook Number of Friends", type="integer"),
        },
    ),
    "first_name": _nullable(
        "First Name", "The user's first name", default=_path("$.traits.firstName")
    ),
    "gender": _nullable(
        "Gender",
        "The user's gender: “M”, “F”, “O” (other), “N” (not applicable), “P” (prefer not to say) or nil (unknown).",
        default=_path("$.traits.gender"),
    ),
    "home_city": _nullable(
        "Home City", "The user's home city.", default=_path("$.traits.address.city")
    ),
    "image_url": _nullable(
        "Image URL",
        "URL of image to be associated with user profile.",
        format="uri",
        default=_path("$.traits.avatar"),
    ),
    "language": _nullable("Language", "The user's preferred language (ISO-639-1 code, e.g. `en`)."),
    "last_name": Field(
        label="Last Name",
        description="The user's last name",
        type="string",
        default=_path("$.traits.lastName"),
    ),
    "marked_email_as_spam_at": _nullable(
        "Marked Email as Spam At", "The date the user marked their email as spam.", type="datetime"
    ),
    "phone": _nullable("Phone Number", "The user's phone number", default=_path("$.traits.phone")),
    "push_subscribe": Field(
        label="Push Subscribe",
        description=(
            "The user's push subscription preference: “opted_in” (explicitly registered to "
            "receive push messages), “unsubscribed” (explicitly opted out of push messages), "
            "and “subscribed” (neither opted in nor out)."
        ),
        type="string",
    ),
    "push_tokens": Field(
        label="Push Tokens",
        description=(
            "Array of objects with app_id and token string. You may optionally provide a "
            "device_id for the device this token is associated with."
        ),
        type="object",
        multiple=True,
        properties={
            "app_id": Field(label="App ID", type="string", required=True),
            "token": Field(label="Token", type="string", required=True),
            "device_id": Field(label="Device ID", type="string"),
        },
    ),
    "time_zone": Field(
        label="Time zone",
        description=(
            "The user’s time zone name from IANA Time Zone Database (e.g., “America/New_York” "
            "or “Eastern Time (US & Canada)”). Only valid time zone values will be set."
        ),
        type="string",
    ),
    "twitter": Field(
        label="Twitter Attribution Data",
        description=(
            "Hash containing any of id (integer), screen_name (string, Twitter handle), "
            "followers_count (integer), friends_count (integer), statuses_count (integer)."
        ),
        type="object",
        properties={
            "id": Field(label="Twitter ID", type="string"),
            "screen_name": Field(label="Twitter Handle", type="string"),
            "followers_count": Field(label="Number of Followers", type="integer"),
            "friends_count": Field(label="Number of Friends", type="integer"),
            "statuses_count": Field(label="Number of Statuses", type="integer"),
        },
    ),
    "subscription_groups": Field(
        label="Subscription Groups",
        description="A list of subscription group IDs and states to set for the user.",
        type="object",
        multiple=True,
        properties={
            "subscription_group_id": Field(
                label="Subscription Group ID", type="string", required=True
            ),
            "subscription_state": Field(
                label="Subscription State",
                type="string",
                required=True,
                choices=("subscribed", "unsubscribed"),
            ),
        },
    ),
    "custom_attributes": Field(
        label="Custom Attributes",
        description="Hash of custom attributes to send to Braze",
        type="object",
        default=_path("$.traits"),
    ),
    **batching_fields(),
}
