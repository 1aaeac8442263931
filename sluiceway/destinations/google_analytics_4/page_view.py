"""Page View: `page_view` with the page's location, referrer and title."""

from __future__ import annotations

from sluiceway.kit import Action

from ._collect import event_sender
from ._fields import identity_fields, text, trailing_fields

page_view = Action(
    title="Page View",
    description="Send a page view to GA4.",
    default_subscription='type = "page"',
    fields={
        **identity_fields("clientId"),
        "page_location": text("Page Location", "The full URL of the page.", "$.context.page.url"),
        "page_referrer": text("Page Referrer", "The URL the user came from.", "$.context.page.referrer"),
        "page_title": text("Page Title", "The title of the page.", "$.context.page.title"),
        **trailing_fields(),
    },
    perform=event_sender("page_view", ("page_location", "page_referrer", "page_title"), client_key="clientId"),
)
