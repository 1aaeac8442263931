"""Every installed destination, by slug: built-in, plugin and declarative (YAML).

Where destinations come from, in order (the first one to claim a slug keeps it):

1. Built-in: each package under `sluiceway/destinations/` exposing `destination`.
2. Plugins, i.e. ordinary Python packages: every entry point in the group
   `sluiceway.destinations` (what `pip install` registers from a plugin's
   pyproject.toml), then every module named in `SLUICEWAY_PLUGINS` (comma-separated;
   for a plugin checked out but not installed, with its directory on `sys.path`).
   An entry may name a Destination, a module with a `destination` attribute, or a
   function returning a Destination.
3. YAML files (`*.yaml`, `*.yml`) in the directories given to `catalog(paths=...)` and
   in `SLUICEWAY_DESTINATIONS_PATH` (os.pathsep-separated).

A source that fails to load, or claims a slug already taken, is skipped with a
`CatalogWarning` so one broken plugin cannot hide the rest of the catalog.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import warnings
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from .destination import Destination

ENTRY_POINT_GROUP = "sluiceway.destinations"
PLUGINS_ENV = "SLUICEWAY_PLUGINS"
PATH_ENV = "SLUICEWAY_DESTINATIONS_PATH"
BUILT_IN_PACKAGE = "sluiceway.destinations"


class CatalogWarning(UserWarning):
    """A destination source was skipped; the message says which and why."""


def catalog(paths: Iterable[str | Path] = ()) -> dict[str, Destination]:
    """{slug: Destination} for every installed destination, sorted by slug."""
    found: dict[str, Destination] = {}
    for origin, loader in _sources(list(paths)):
        try:
            destination = loader()
        except Exception as exc:  # a broken plugin must not take the catalog down
            warnings.warn(f"{origin}: not loaded: {exc}", CatalogWarning, stacklevel=2)
            continue
        if destination.slug in found:
            taken = found[destination.slug].origin
            warnings.warn(
                f"{origin}: slug {destination.slug!r} is already provided by {taken}",
                CatalogWarning,
                stacklevel=2,
            )
            continue
        found[destination.slug] = destination.with_origin(origin)
    return dict(sorted(found.items()))


def _sources(paths: list[str | Path]) -> Iterator[tuple[str, Any]]:
    yield from _built_in()
    yield from _entry_points()
    yield from _env_plugins()
    yield from _yaml_files(paths)


def _built_in() -> Iterator[tuple[str, Any]]:
    package = importlib.import_module(BUILT_IN_PACKAGE)
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.ispkg and not module.name.startswith("_"):
            name = f"{BUILT_IN_PACKAGE}.{module.name}"
            yield "built-in", lambda name=name: _as_destination(importlib.import_module(name), name)


def _entry_points() -> Iterator[tuple[str, Any]]:
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        origin = f"plugin {point.value}"
        yield origin, lambda point=point: _as_destination(point.load(), point.value)


def _env_plugins() -> Iterator[tuple[str, Any]]:
    for name in filter(None, (part.strip() for part in os.environ.get(PLUGINS_ENV, "").split(","))):
        origin = f"plugin {name}"
        yield origin, lambda name=name: _as_destination(_load_object(name), name)


def _yaml_files(paths: list[str | Path]) -> Iterator[tuple[str, Any]]:
    from .declarative import load_yaml_destination

    env_paths = [p for p in os.environ.get(PATH_ENV, "").split(os.pathsep) if p]
    for directory in [*paths, *env_paths]:
        root = Path(directory)
        files = sorted([*root.glob("*.yaml"), *root.glob("*.yml")]) if root.is_dir() else [root]
        for file in files:
            yield f"yaml {file}", lambda file=file: load_yaml_destination(file)


def _load_object(spec: str) -> Any:
    """`package.module` or `package.module:attribute`."""
    module_name, _, attribute = spec.partition(":")
    loaded: Any = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        loaded = getattr(loaded, part)
    return loaded


def _as_destination(loaded: Any, name: str) -> Destination:
    if isinstance(loaded, ModuleType):
        loaded = getattr(loaded, "destination", None)
    if callable(loaded) and not isinstance(loaded, Destination):
        loaded = loaded()
    if not isinstance(loaded, Destination):
        raise TypeError(f"{name} does not provide a sluiceway.kit.Destination")
    return loaded
