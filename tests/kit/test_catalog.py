"""The catalog: built-in destinations, plugins (entry points or SLUICEWAY_PLUGINS) and YAML."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from sluiceway import kit
from sluiceway.kit import CatalogWarning, Destination

ACME_EVENTS = Path(__file__).parent / "destinations" / "acme-events.yaml"

PLUGIN = '''
from sluiceway.kit import Action, Destination

async def perform(request, payload, settings, auth):
    return None

destination = Destination(
    name="Plugged", slug="__SLUG__", actions={"noop": Action(title="Noop", perform=perform)}
)
'''


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path where tests write plugin modules; they are unloaded after."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("plugged_"):
            del sys.modules[name]


def _write_plugin(directory: Path, module: str, slug: str) -> None:
    (directory / f"{module}.py").write_text(PLUGIN.replace("__SLUG__", slug))


def _install_entry_point(directory: Path, name: str, target: str) -> None:
    """What pip writes for a plugin declaring [project.entry-points."sluiceway.destinations"]."""
    info = directory / f"{name}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[sluiceway.destinations]\n{name} = {target}\n")


def test_the_built_in_destinations_are_listed_by_slug() -> None:
    found = kit.catalog()

    assert {"actions-slack", "actions-webhook"} <= set(found)
    assert all(isinstance(d, Destination) and d.slug == slug for slug, d in found.items())
    assert list(found) == sorted(found)
    assert found["actions-webhook"].origin == "built-in"


def test_an_installed_plugin_is_found_through_its_entry_point(plugin_dir: Path) -> None:
    _write_plugin(plugin_dir, "plugged_one", "plugged-one")
    _install_entry_point(plugin_dir, "plugged_one", "plugged_one:destination")

    found = kit.catalog()

    assert found["plugged-one"].name == "Plugged"
    assert found["plugged-one"].origin == "plugin plugged_one:destination"


def test_a_plugin_module_named_in_the_environment_is_loaded(plugin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_plugin(plugin_dir, "plugged_two", "plugged-two")
    monkeypatch.setenv("SLUICEWAY_PLUGINS", "plugged_two")

    assert kit.catalog()["plugged-two"].origin == "plugin plugged_two"


def test_yaml_destinations_load_from_given_paths_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.yml"
    other.write_text(ACME_EVENTS.read_text().replace("slug: acme-events", "slug: acme-events-2"))
    monkeypatch.setenv("SLUICEWAY_DESTINATIONS_PATH", str(tmp_path))

    found = kit.catalog([ACME_EVENTS.parent])

    assert found["acme-events"].origin == f"yaml {ACME_EVENTS}"
    assert found["acme-events-2"].origin == f"yaml {other}"


def test_a_broken_plugin_is_skipped_with_a_warning_and_the_rest_still_load(
    plugin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (plugin_dir / "plugged_broken.py").write_text("raise RuntimeError('half-written plugin')\n")
    monkeypatch.setenv("SLUICEWAY_PLUGINS", "plugged_broken, plugged_missing")

    with pytest.warns(CatalogWarning) as caught:
        found = kit.catalog()

    messages = [str(w.message) for w in caught]
    assert any("plugged_broken" in m and "half-written plugin" in m for m in messages)
    assert any("plugged_missing" in m for m in messages)
    assert "actions-slack" in found


def test_a_second_claim_on_a_slug_is_refused_and_the_first_kept(plugin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_plugin(plugin_dir, "plugged_thief", "actions-slack")
    monkeypatch.setenv("SLUICEWAY_PLUGINS", "plugged_thief")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = kit.catalog()

    assert found["actions-slack"].name == "Slack"
    assert any("already provided by built-in" in str(w.message) for w in caught)
