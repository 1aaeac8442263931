"""The `integrations` object: which destinations a message may reach.

Segment's rules (segment-docs spec/common.md#integrations, guides/filtering-data.md),
and how analytics.js reads them (`isPluginDisabled` in analytics-next):

- `All` applies to every destination without a key of its own; it defaults to true,
  and only the JSON value `false` turns it off.
- Keys are destination names, compared case-sensitively.
- `false` blocks a destination; `true` allows it; an object allows it and carries its
  options. When `All` is false, a destination needs a truthy value of its own.
- Salesforce is off unless named, because its API limits are strict.

Where Segment is weak we go further (pain point 13 in reference/segment.md): a key may
also be a destination *instance* id, so one of two Mixpanel instances can be turned
off; the instance key, being more specific, decides over the name key. And
`unknown_integration_keys` names the keys that match nothing, for a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ALL = "All"
OFF_BY_DEFAULT = frozenset({"Salesforce"})


def destination_enabled(
    integrations: Mapping[str, Any] | None,
    destination_name: str,
    destination_id: str | None = None,
) -> bool:
    """Whether a message with this `integrations` object may go to the destination.

    `destination_name` is the catalog name users write in `integrations` ("Mixpanel");
    `destination_id` is the id of this one connected instance, if there is one.
    """
    if not isinstance(integrations, Mapping):
        integrations = {}
    for key in (destination_id, destination_name):
        if key is not None and key in integrations:
            return _allows(integrations[key], integrations)
    if destination_name in OFF_BY_DEFAULT:
        return False
    return integrations.get(ALL) is not False


def _allows(value: Any, integrations: Mapping[str, Any]) -> bool:
    if value is False:
        return False
    if integrations.get(ALL) is False:
        return _js_truthy(value)
    return True


def _js_truthy(value: Any) -> bool:
    """JavaScript truthiness, which analytics.js applies to a key when `All` is false."""
    if isinstance(value, dict | list):
        return True  # `{}` and `[]` are truthy in JavaScript, unlike in Python
    if isinstance(value, float) and value != value:
        return False  # NaN
    return bool(value)


def unknown_integration_keys(
    integrations: Mapping[str, Any] | None, known_names: Iterable[str]
) -> list[str]:
    """Keys of `integrations` (other than `All`) that name no known destination.

    `known_names` holds every destination name and instance id that could match; the
    keys are returned in the message's order so a warning reads like the payload.
    """
    if not isinstance(integrations, Mapping):
        return []
    known = set(known_names)
    return [key for key in integrations if key != ALL and key not in known]
