"""A field: one input of an action, or one global setting of a destination.

Field metadata is data, so one declaration drives validation (through the JSON Schema it
compiles to), the mapping editor's form and the catalog's documentation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import DefinitionError

FieldType = Literal[
    "string",
    "text",
    "number",
    "integer",
    "boolean",
    "datetime",
    "object",
    "password",
    "hidden",
]
FIELD_TYPES: frozenset[str] = frozenset(FieldType.__args__)  # type: ignore[attr-defined]

# Formats a field may declare: Ajv's (ajv-formats) plus Segment's `text` and `password` hints.
FORMATS: frozenset[str] = frozenset(
    {
        "date",
        "time",
        "date-time",
        "uri",
        "uri-reference",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "regex",
        "uuid",
        "password",
        "text",
    }
)


class _NoDefault:
    """The absence of a default, distinct from a default of None (JSON null)."""

    _instance: _NoDefault | None = None

    def __new__(cls) -> _NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __bool__(self) -> bool:
        return False


NO_DEFAULT: Any = _NoDefault()


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One allowed value with the label a person picks it by."""

    value: str | int | float
    label: str


@dataclass(frozen=True, kw_only=True)
class Field:
    """An input: its label and help text, its type and the rules a value must meet.

    For an action field `default` is a mapping (a literal or a directive such as
    `{"@path": "$.userId"}`) that Quick Setup installs; for a setting it is a value.
    `hidden` keeps a field out of the form while it is still mapped (Segment's
    `unsafe_hidden`); the type `hidden` is shorthand for a hidden string.
    """

    label: str
    description: str = ""
    type: FieldType = "string"
    required: bool = False
    default: Any = NO_DEFAULT
    multiple: bool = False
    choices: tuple[str | Choice, ...] | None = None
    properties: Mapping[str, Field] | None = None
    additional_properties: bool = False
    allow_null: bool = False
    minimum: float | None = None
    maximum: float | None = None
    format: str | None = None
    hidden: bool = False
    secret: bool = False
    placeholder: str | None = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise DefinitionError(
                self.label, f"type {self.type!r} is not one of {', '.join(sorted(FIELD_TYPES))}"
            )
        if self.format is not None and self.format not in FORMATS:
            raise DefinitionError(
                self.label, f"format {self.format!r} is not one of {', '.join(sorted(FORMATS))}"
            )
        if self.properties is not None and self.type != "object":
            raise DefinitionError(self.label, "only object fields may declare properties")
        if (self.minimum is not None or self.maximum is not None) and self.type not in (
            "number",
            "integer",
        ):
            raise DefinitionError(self.label, "minimum and maximum apply to number and integer")
        if self.choices is not None and not isinstance(self.choices, tuple):
            object.__setattr__(self, "choices", tuple(self.choices))

    @property
    def is_secret(self) -> bool:
        """Secret values are encrypted at rest and masked wherever settings are shown."""
        return self.secret or self.type == "password"

    @property
    def is_hidden(self) -> bool:
        return self.hidden or self.type == "hidden"

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT

    def choice_values(self) -> list[Any]:
        return [c.value if isinstance(c, Choice) else c for c in self.choices or ()]

    def to_dict(self) -> dict[str, Any]:
        """The field as JSON for the catalog and the mapping editor."""
        out: dict[str, Any] = {"label": self.label, "description": self.description}
        out["type"] = self.type
        out["required"] = self.required
        optional = {
            "multiple": self.multiple,
            "allow_null": self.allow_null,
            "additional_properties": self.additional_properties,
            "hidden": self.is_hidden,
            "secret": self.is_secret,
        }
        out.update({key: True for key, on in optional.items() if on})
        if self.has_default:
            out["default"] = self.default
        if self.choices is not None:
            out["choices"] = [
                {"value": c.value, "label": c.label}
                if isinstance(c, Choice)
                else {"value": c, "label": c}
                for c in self.choices
            ]
        for key in ("minimum", "maximum", "format", "placeholder"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.properties is not None:
            out["properties"] = {key: f.to_dict() for key, f in self.properties.items()}
        return out


def default_mapping(fields: Mapping[str, Field]) -> dict[str, Any]:
    """Every field's default, keyed by field: the mapping Quick Setup installs."""
    return {key: f.default for key, f in fields.items() if f.has_default}
