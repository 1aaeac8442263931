"""`sluiceway destinations catalog` and `show`: what is installed, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sluiceway.cli import app

ACME_EVENTS = Path(__file__).parents[1] / "kit" / "destinations" / "acme-events.yaml"
runner = CliRunner()


def test_the_catalog_table_lists_every_installed_destination() -> None:
    result = runner.invoke(app, ["destinations", "catalog"], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    assert "actions-slack" in result.output and "postToChannel" in result.output
    assert "actions-webhook" in result.output and "built-in" in result.output


def test_the_catalog_as_json_includes_yaml_destinations_from_a_path() -> None:
    result = runner.invoke(app, ["destinations", "catalog", "--json", "--path", str(ACME_EVENTS)])

    assert result.exit_code == 0, result.output
    catalog = json.loads(result.output)
    assert catalog["acme-events"]["origin"] == f"yaml {ACME_EVENTS}"
    assert catalog["actions-webhook"]["actions"]["send"]["supports_batch"] is True
    assert catalog["actions-webhook"]["settings"]["sharedSecret"]["secret"] is True


def test_show_describes_one_destination_with_its_fields() -> None:
    result = runner.invoke(app, ["destinations", "show", "actions-webhook"], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    for text in ("Webhook", "sharedSecret", "password (secret)", "batch_keys", "string[]", "batches of up to 1000"):
        assert text in result.output


def test_show_of_an_unknown_slug_fails_and_lists_what_exists() -> None:
    result = runner.invoke(app, ["destinations", "show", "actions-nope"])

    assert result.exit_code == 1
    assert "actions-slack" in result.output
