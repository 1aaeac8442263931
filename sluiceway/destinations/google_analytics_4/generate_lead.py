"""Generate Lead: `generate_lead`, a lead's currency and value (e.g. a submitted form)."""

from __future__ import annotations

from sluiceway.kit import Action

from . import _fields as f
from ._collect import event_sender

generate_lead = Action(
    title="Generate Lead",
    description="Send a generated lead to GA4.",
    default_subscription='type = "track"',
    fields={
        **f.identity_fields(),
        "currency": f.currency(),
        "value": f.value(),
        **f.trailing_fields(),
    },
    perform=event_sender("generate_lead", ("currency", "value")),
)
