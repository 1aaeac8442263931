"""Destinations declared in YAML, for vendors whose action is "POST this JSON".

A file gives the destination's name, slug, settings, authentication, presets and actions;
each action's `request` is a template in mapping-kit JSON evaluated against
`{"payload": ..., "settings": ..., "auth": ...}` (a batch request sees `payloads`).
The file loads as an ordinary `Destination`, so validation, errors, OAuth refresh and
the catalog behave exactly as for one written in Python. docs/kit.md has the format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from sluiceway import mapping as mapping_kit

from .action import Action
from .auth import SCHEMES, Authentication, AuthTokens
from .client import RequestClient, Response
from .destination import Destination
from .errors import MISCONFIGURED_FIELD, DefinitionError, IntegrationError
from .fields import Choice, Field
from .preset import Preset

_REQUEST_KEYS = frozenset(
    {"method", "url", "headers", "params", "json", "form", "body", "username", "password", "timeout"}
)
_SHARED_REQUEST_KEYS = frozenset({"headers", "params", "username", "password", "base_url", "timeout"})
_FIELD_KEYS = {
    "label": "label",
    "description": "description",
    "type": "type",
    "required": "required",
    "default": "default",
    "multiple": "multiple",
    "choices": "choices",
    "properties": "properties",
    "additional_properties": "additional_properties",
    "allow_null": "allow_null",
    "minimum": "minimum",
    "maximum": "maximum",
    "format": "format",
    "hidden": "hidden",
    "secret": "secret",
    "placeholder": "placeholder",
}
_TOP_KEYS = frozenset(
    {
        "name",
        "slug",
        "description",
        "base_url",
        "timeout",
        "settings",
        "authentication",
        "request",
        "presets",
        "actions",
    }
)
_ACTION_KEYS = frozenset({"title", "description", "default_subscription", "fields", "request", "batch", "hidden"})
_BATCH_KEYS = frozenset({"request", "keys", "default_size", "max_size"})

Template = Callable[[Any], Any]


def load_yaml_destination(path: str | Path) -> Destination:
    """Read a YAML destination file; DefinitionError names the file and key at fault."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(str(file), f"cannot be read as YAML: {exc}") from exc
    return destination_from_dict(data, str(file))


def destination_from_dict(data: Any, where: str = "destination") -> Destination:
    """Build a Destination from the parsed YAML (or equivalent JSON) document."""
    spec = _mapping(data, where, _TOP_KEYS)
    settings = {
        key: _field(value, f"{where}: settings.{key}")
        for key, value in _mapping(spec.get("settings", {}), f"{where}: settings").items()
    }
    shared = _shared_request(spec, where)
    actions = {
        key: _action(value, f"{where}: actions.{key}")
        for key, value in _mapping(spec.get("actions"), f"{where}: actions").items()
    }
    presets = tuple(
        _preset(value, f"{where}: presets[{index}]")
        for index, value in enumerate(_list(spec.get("presets", []), f"{where}: presets"))
    )
    base_url = spec.get("base_url")
    try:
        return Destination(
            name=_text(spec.get("name"), f"{where}: name"),
            slug=_text(spec.get("slug"), f"{where}: slug"),
            description=str(spec.get("description", "")),
            settings=settings,
            authentication=_authentication(spec.get("authentication"), where),
            extend_request=shared,
            presets=presets,
            actions=actions,
            base_urls=(str(base_url),) if base_url else (),
            timeout=float(spec.get("timeout", 10.0)),
            origin=f"yaml {where}",
        )
    except DefinitionError as exc:
        raise DefinitionError(f"{where}: {exc.where}", exc.rule) from exc


# ---- pieces ----------------------------------------------------------------------------


def _field(data: Any, where: str) -> Field:
    spec = _mapping(data, where, frozenset(_FIELD_KEYS))
    values = {_FIELD_KEYS[key]: value for key, value in spec.items()}
    if "label" not in values:
        raise DefinitionError(where, "a field needs a label")
    if "choices" in values:
        values["choices"] = tuple(_choice(c, f"{where}.choices") for c in _list(values["choices"], where))
    if "properties" in values:
        values["properties"] = {
            key: _field(value, f"{where}.properties.{key}")
            for key, value in _mapping(values["properties"], f"{where}.properties").items()
        }
    try:
        return Field(**values)
    except (DefinitionError, TypeError) as exc:
        raise DefinitionError(where, str(exc)) from exc


def _choice(data: Any, where: str) -> str | Choice:
    if isinstance(data, Mapping):
        if "value" not in data:
            raise DefinitionError(where, "a choice needs a value")
        return Choice(value=data["value"], label=str(data.get("label", data["value"])))
    return str(data)


def _preset(data: Any, where: str) -> Preset:
    spec = _mapping(data, where, frozenset({"name", "subscribe", "action", "mapping"}))
    mapping = spec.get("mapping")
    return Preset(
        name=_text(spec.get("name"), f"{where}.name"),
        subscribe=_text(spec.get("subscribe"), f"{where}.subscribe"),
        action=_text(spec.get("action"), f"{where}.action"),
        mapping=_mapping(mapping, f"{where}.mapping") if mapping is not None else None,
    )


def _authentication(data: Any, where: str) -> Authentication | None:
    if data is None:
        return None
    spec = _mapping(data, f"{where}: authentication", frozenset({"scheme", "test", "refresh"}))
    scheme = spec.get("scheme", "custom")
    if scheme not in SCHEMES:
        raise DefinitionError(f"{where}: authentication.scheme", f"{scheme!r} is not one of {sorted(SCHEMES)}")
    test = spec.get("test")
    refresh = spec.get("refresh")
    return Authentication(
        scheme=scheme,
        test_authentication=_test_hook(test, f"{where}: authentication.test") if test else None,
        refresh_access_token=_refresh_hook(refresh, f"{where}: authentication.refresh")
        if refresh
        else None,
    )


def _shared_request(spec: Mapping[str, Any], where: str) -> Callable[..., Any] | None:
    """The file's `request` (and `base_url`) as an `extend_request` for every request."""
    shared = dict(_mapping(spec.get("request", {}), f"{where}: request", _SHARED_REQUEST_KEYS))
    if spec.get("base_url") and "base_url" not in shared:
        shared["base_url"] = str(spec["base_url"])
    if not shared:
        return None
    template = _compile(shared, f"{where}: request")

    def extend_request(settings: Mapping[str, Any], auth: AuthTokens | None, payload: Any) -> Any:
        return template(_context(settings, auth, payload=payload))

    return extend_request


def _action(data: Any, where: str) -> Action:
    spec = _mapping(data, where, _ACTION_KEYS)
    request = _request_template(spec.get("request"), f"{where}.request")
    batch = _mapping(spec["batch"], f"{where}.batch", _BATCH_KEYS) if "batch" in spec else None
    batch_request = _request_template(batch.get("request"), f"{where}.batch.request") if batch else None

    async def perform(
        client: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: AuthTokens | None
    ) -> Response:
        return await _send(client, request(_context(settings, auth, payload=payload)))

    async def perform_batch(
        client: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: AuthTokens | None
    ) -> Response:
        assert batch_request is not None
        return await _send(client, batch_request(_context(settings, auth, payloads=payloads)))

    fields = {
        key: _field(value, f"{where}.fields.{key}")
        for key, value in _mapping(spec.get("fields", {}), f"{where}.fields").items()
    }
    try:
        return Action(
            title=_text(spec.get("title"), f"{where}.title"),
            description=str(spec.get("description", "")),
            fields=fields,
            perform=perform,
            perform_batch=perform_batch if batch_request else None,
            default_subscription=spec.get("default_subscription"),
            batch_keys=tuple(batch.get("keys", ())) if batch else (),
            default_batch_size=batch.get("default_size") if batch else None,
            max_batch_size=batch.get("max_size") if batch else None,
            hidden=bool(spec.get("hidden", False)),
        )
    except DefinitionError as exc:
        raise DefinitionError(where, str(exc)) from exc


def _request_template(data: Any, where: str) -> Template:
    spec = _mapping(data, where, _REQUEST_KEYS)
    if "url" not in spec:
        raise DefinitionError(where, "a request needs a url")
    return _compile(dict(spec), where)


def _test_hook(data: Any, where: str) -> Callable[..., Any]:
    template = _request_template(data, where)

    async def test_authentication(
        client: RequestClient, settings: dict[str, Any], auth: AuthTokens | None
    ) -> Response:
        return await _send(client, template(_context(settings, auth)))

    return test_authentication


def _refresh_hook(data: Any, where: str) -> Callable[..., Any]:
    """A token request; its JSON answer's access_token (and refresh_token) are the new tokens."""
    template = _request_template(data, where)

    async def refresh_access_token(
        client: RequestClient, settings: dict[str, Any], auth: AuthTokens | None
    ) -> Any:
        response = await _send(client, template(_context(settings, auth)))
        return response.data if isinstance(response.data, dict) else None

    return refresh_access_token


async def _send(client: RequestClient, spec: Any) -> Response:
    options = dict(spec) if isinstance(spec, Mapping) else {}
    url = options.pop("url", None)
    if not isinstance(url, str) or not url:
        raise IntegrationError("The request template produced no url", MISCONFIGURED_FIELD, 400)
    return await client(url, **options)


def _context(
    settings: Mapping[str, Any], auth: AuthTokens | None, **data: Any
) -> dict[str, Any]:
    auth_dict = {k: v for k, v in asdict(auth).items() if v is not None} if auth else {}
    return {"settings": dict(settings), "auth": auth_dict, **data}


# ---- shape checks ------------------------------------------------------------------------


def _compile(template: Any, where: str) -> Template:
    try:
        return mapping_kit.compile(template)
    except mapping_kit.MappingError as exc:
        raise DefinitionError(where, f"invalid template: {exc}") from exc


def _mapping(data: Any, where: str, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise DefinitionError(where, "must be a mapping of keys to values")
    if allowed is not None:
        unknown = sorted(set(map(str, data)) - allowed)
        if unknown:
            raise DefinitionError(
                where, f"unknown keys {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
            )
    return dict(data)


def _list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise DefinitionError(where, "must be a list")
    return data


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise DefinitionError(where, "is required and must be text")
    return value
