"""Search: `search` with the term from Segment's Products Searched."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

search = Action(
    title="Search",
    description="Send a search to GA4.",
    default_subscription='type = "track" and event = "Products Searched"',
    fields={
        **f.identity_fields(),
        "search_term": f.text("Search Term", "The term searched for.", "$.properties.query", required=True),
        **f.trailing_fields(),
    },
    perform=event_sender("search", ("search_term",)),
)
