"""Login: `login` from Segment's Signed In, with the login method (not mapped by default)."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

login = Action(
    title="Login",
    description="Send a login to GA4.",
    default_subscription='type = "track" and event = "Signed In"',
    fields={
        **f.identity_fields(),
        "method": f.text("Method", "The method used to log in (e.g. Google)."),
        **f.trailing_fields(),
    },
    perform=event_sender("login", ("method",)),
)
