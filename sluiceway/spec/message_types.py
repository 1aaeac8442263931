"""The six Segment message types and what each one requires.

From Segment's spec pages (segment-docs src/connections/spec/*.md) and the HTTP API
reference:

| type     | required beyond the common fields         | object fields |
| -------- | ----------------------------------------- | ------------- |
| track    | `event` (string)                          | `properties`  |
| identify | —                                         | `traits`      |
| page     | — (`name`, `category`: strings if given)  | `properties`  |
| screen   | — (`name`, `category`: strings if given)  | `properties`  |
| group    | `groupId`                                 | `traits`      |
| alias    | `userId` and `previousId`                 | —             |

Every type needs a `userId` or an `anonymousId` ("A userId or an anonymousId is
required"); alias needs the `userId` itself, since it names the new identity.
`context` and `integrations` are objects on every type.
"""

from __future__ import annotations

TRACK = "track"
IDENTIFY = "identify"
PAGE = "page"
SCREEN = "screen"
GROUP = "group"
ALIAS = "alias"

MESSAGE_TYPES = (TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS)

# Which free-form object each type carries (`properties` or `traits`).
OBJECT_FIELD = {
    TRACK: "properties",
    PAGE: "properties",
    SCREEN: "properties",
    IDENTIFY: "traits",
    GROUP: "traits",
}

# Identifier fields: always strings once normalised.
IDENTITY_FIELDS = ("userId", "anonymousId")
ID_FIELDS = ("userId", "anonymousId", "previousId", "groupId")
