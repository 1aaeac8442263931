"""An action: one kind of request a destination can make, declared as fields plus perform.

    send = Action(
        title="Send",
        description="Send an HTTP request.",
        fields={"url": Field(label="URL", type="string", required=True, format="uri")},
        perform=perform,                 # async def perform(request, payload, settings, auth)
        perform_batch=perform_batch,     # optional: same, with a list of payloads
    )

The fields compile to a JSON Schema once; every payload is cleaned and validated against
it before `perform` sees it, so `perform` can trust its input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sluiceway import mapping as mapping_kit
from sluiceway import triggers
from sluiceway._js import js_json_stringify

from .errors import MISCONFIGURED_FIELD, DefinitionError, IntegrationError
from .fields import Field, default_mapping
from .schema import fields_to_json_schema
from .validation import Issue, compile_builder, compile_validator, raise_for_issues

DEFAULT_BATCH_SIZE = 1000
# Keys Segment's app adds to a mapping for its own use; they never reach the payload.
_INTERNAL_KEY_PREFIX = "__segment_internal"


_BATCH_KEY_MEMO: dict[tuple[str | None, ...], str] = {}
_BATCH_KEY_MEMO_SIZE = 4096


def _batch_key_text(values: tuple[Any, ...]) -> str:
    """JSON.stringify(values), remembered when every value is a string or null.

    The delivery worker asks for every message, and the values (a url, a method)
    rarely change: stringifying them each time was a sixth of delivery's CPU. Only
    strings and None are remembered; as a key, 1 and True would be the same value.
    """
    for value in values:  # a plain loop: `all()` over a generator cost twice as much
        if value is not None and type(value) is not str:
            return js_json_stringify(list(values)) or "[]"
    text = _BATCH_KEY_MEMO.get(values)
    if text is None:
        if len(_BATCH_KEY_MEMO) >= _BATCH_KEY_MEMO_SIZE:
            _BATCH_KEY_MEMO.clear()
        text = _BATCH_KEY_MEMO[values] = js_json_stringify(list(values)) or "[]"
    return text


def check_trigger(where: str, fql: str) -> None:
    """Reject trigger FQL that would never run, naming the declaration it came from."""
    try:
        triggers.parse_fql(fql)
    except triggers.TriggerError as exc:
        raise DefinitionError(where, f"invalid trigger {fql!r}: {exc}") from exc


@dataclass(frozen=True, kw_only=True, eq=False)
class Action:
    """Title, description, fields and the functions that perform the request.

    `perform(request, payload, settings, auth)` and `perform_batch(request, payloads,
    settings, auth)` may be `async def` or plain `def`. Batching: events are grouped
    by the values of `batch_keys` (a payload's own `batch_keys` field wins when the
    action declares one) into batches of at most `batch_size(payload)` items.
    """

    title: str
    description: str = ""
    fields: Mapping[str, Field] = field(default_factory=dict)
    perform: Callable[..., Any]
    perform_batch: Callable[..., Any] | None = None
    default_subscription: str | None = None
    batch_keys: tuple[str, ...] = ()
    default_batch_size: int | None = None
    max_batch_size: int | None = None
    hidden: bool = False

    def __post_init__(self) -> None:
        if self.default_subscription:
            check_trigger(f"{self.title}.default_subscription", self.default_subscription)
        unknown = [key for key in self.batch_keys if key not in self.fields]
        if unknown:
            raise DefinitionError(f"{self.title}.batch_keys", f"not fields: {', '.join(unknown)}")
        schema = fields_to_json_schema(self.fields)
        object.__setattr__(self, "_schema", schema)
        object.__setattr__(self, "_check", compile_validator(schema))
        # Asked once per delivery by `batch_key` and `batch_size`: settled once here.
        object.__setattr__(self, "_payload_batch_keys", "batch_keys" in self.fields)
        object.__setattr__(self, "_payload_batch_size", "batch_size" in self.fields)
        fallback = self.default_batch_size or self.max_batch_size or DEFAULT_BATCH_SIZE
        object.__setattr__(self, "_fallback_batch_size", fallback)

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema payloads are validated against (Segment's shape)."""
        return self._schema  # type: ignore[attr-defined,no-any-return]

    @property
    def supports_batch(self) -> bool:
        return self.perform_batch is not None

    def default_mapping(self) -> dict[str, Any]:
        return default_mapping(self.fields)

    def check(self, payload: Any) -> tuple[dict[str, Any], list[Issue]]:
        """Clean and validate without raising: the payload and the rules it broke."""
        return self._check(payload)  # type: ignore[attr-defined,no-any-return]

    def validate(self, payload: Any) -> dict[str, Any]:
        """The cleaned, coerced payload, or PayloadValidationError naming each broken rule."""
        cleaned, issues = self.check(payload)
        raise_for_issues(issues)
        return cleaned

    def compile_mapping(self, mapping: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
        """Compile `mapping` once; the result turns an event into a validated payload."""
        fields_mapping = _without_internal_keys(mapping)
        try:
            transform = mapping_kit.compile(fields_mapping)
            fields = mapping_kit.compile_fields(fields_mapping)
        except mapping_kit.MappingError as exc:
            raise IntegrationError(f"Invalid mapping: {exc}", MISCONFIGURED_FIELD, 400) from exc
        check = self._check  # type: ignore[attr-defined]
        # Field by field, literals checked once: the same payload and issues as
        # `check(transform(event))` without building the mapped payload first.
        builder = None if fields is None else compile_builder(self.schema, fields, check)

        def build(event: Any) -> dict[str, Any]:
            try:
                if builder is not None and type(event) is dict:
                    cleaned, issues = builder(event)
                else:
                    mapped = transform(event)
                    cleaned, issues = check(mapped if isinstance(mapped, dict) else {})
            except mapping_kit.MappingError as exc:
                raise IntegrationError(f"Mapping failed: {exc}", MISCONFIGURED_FIELD, 400) from exc
            if issues:
                raise_for_issues(issues)
            return cleaned

        return build

    def build_payload(self, mapping: Mapping[str, Any], event: Any) -> dict[str, Any]:
        """Resolve `mapping` against `event` and validate it (compile once when looping)."""
        return self.compile_mapping(mapping)(event)

    def batch_key(self, payload: Mapping[str, Any]) -> str:
        """Events whose payloads share this key may travel in one batch."""
        names: Any = self.batch_keys
        if self._payload_batch_keys:  # type: ignore[attr-defined]
            keys = payload.get("batch_keys")
            if isinstance(keys, list) and keys:
                names = keys
        return _batch_key_text(tuple(map(payload.get, names)))

    def batch_size(self, payload: Mapping[str, Any] | None = None) -> int:
        """Largest batch to send: the payload's `batch_size` field if set, within the cap."""
        declared = self._payload_batch_size  # type: ignore[attr-defined]
        requested = (payload or {}).get("batch_size") if declared else None
        if isinstance(requested, int | float) and requested >= 1:
            size = int(requested)
        else:
            size = self._fallback_batch_size  # type: ignore[attr-defined]
        return min(size, self.max_batch_size) if self.max_batch_size else size

    def to_dict(self) -> dict[str, Any]:
        """The action as the catalog and mapping editor show it."""
        out: dict[str, Any] = {"title": self.title, "description": self.description}
        out["default_subscription"] = self.default_subscription
        out["fields"] = {key: f.to_dict() for key, f in self.fields.items()}
        out["supports_batch"] = self.supports_batch
        if self.supports_batch:
            out["batch_keys"] = list(self.batch_keys)
            out["default_batch_size"] = self.batch_size()
            out["max_batch_size"] = self.max_batch_size
        if self.hidden:
            out["hidden"] = True
        return out


def _without_internal_keys(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if not str(k).startswith(_INTERNAL_KEY_PREFIX)}
