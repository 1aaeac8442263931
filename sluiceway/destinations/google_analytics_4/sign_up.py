"""Sign Up: `sign_up` from Segment's Signed Up, with the sign-up method."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

sign_up = Action(
    title="Sign Up",
    description="Send a sign-up to GA4.",
    default_subscription='type = "track" and event = "Signed Up"',
    fields={
        **f.identity_fields(),
        "method": f.text("Method", "The method used to sign up (e.g. Google).", "$.properties.type"),
        **f.trailing_fields(),
    },
    perform=event_sender("sign_up", ("method",)),
)
