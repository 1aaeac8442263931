"""`sluiceway init destination NAME`: a plugin package that passes its own tests as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sluiceway import kit
from sluiceway.cli import app

runner = CliRunner()


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "sluiceway-acme"
    result = runner.invoke(app, ["init", "destination", "acme", str(target)])
    assert result.exit_code == 0, result.output
    yield target
    for name in [
        m for m in sys.modules if m == "sluiceway_acme" or m.startswith("sluiceway_acme.")
    ]:
        del sys.modules[name]


def test_the_scaffold_is_a_destination_package_with_one_action_and_its_tests(
    generated: Path,
) -> None:
    files = sorted(str(p.relative_to(generated)) for p in generated.rglob("*") if p.is_file())

    assert files == [
        "Makefile",
        "README.md",
        "pyproject.toml",
        "sluiceway_acme/__init__.py",
        "sluiceway_acme/send_event.py",
        "tests/test_send_event.py",
    ]
    project = tomllib.loads((generated / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["sluiceway.destinations"] == {
        "acme": "sluiceway_acme:destination"
    }


def test_the_generated_tests_pass_as_generated(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_make_test_passes_and_make_catalog_lists_it(generated: Path) -> None:
    python = f"PYTHON={sys.executable}"
    tested = subprocess.run(
        ["make", "test", python], cwd=generated, capture_output=True, text=True, timeout=180
    )
    wide = {**os.environ, "COLUMNS": "240"}  # rich fits the table to the terminal
    listed = subprocess.run(
        ["make", "catalog", python],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=180,
        env=wide,
    )

    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 passed" in tested.stdout
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "actions-acme" in listed.stdout and "actions-webhook" in listed.stdout


def test_on_the_path_and_named_in_sluiceway_plugins_it_joins_the_catalog(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(generated))
    monkeypatch.setenv("SLUICEWAY_PLUGINS", "sluiceway_acme")

    acme = kit.catalog()["actions-acme"]

    assert (acme.name, list(acme.actions), acme.origin) == (
        "Acme",
        ["sendEvent"],
        "plugin sluiceway_acme",
    )


def test_installed_its_entry_point_puts_it_in_the_catalog(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Write what `pip install` writes for the generated pyproject: a dist-info with its entry points.
    project = tomllib.loads((generated / "pyproject.toml").read_text())["project"]
    info = tmp_path / "site" / f"sluiceway_acme-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    points = project["entry-points"]["sluiceway.destinations"]
    (info / "entry_points.txt").write_text(
        "[sluiceway.destinations]\n" + "".join(f"{k} = {v}\n" for k, v in points.items())
    )
    monkeypatch.syspath_prepend(str(generated))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))

    assert kit.catalog()["actions-acme"].origin == "plugin sluiceway_acme:destination"


def test_a_name_with_spaces_gets_a_display_name_slug_and_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["init", "destination", "Acme Cloud"])

    package = (
        tmp_path / "sluiceway-acme-cloud" / "sluiceway_acme_cloud" / "__init__.py"
    ).read_text()

    assert result.exit_code == 0, result.output
    assert 'name="Acme Cloud"' in package and 'slug="actions-acme-cloud"' in package


def test_it_will_not_overwrite_a_non_empty_directory(generated: Path) -> None:
    result = runner.invoke(app, ["init", "destination", "acme", str(generated)])

    assert result.exit_code == 1
    assert "not empty" in result.output


def test_a_name_without_a_leading_letter_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "destination", "42", str(tmp_path / "x")])

    assert result.exit_code == 2
    assert "must start with a letter" in result.output
