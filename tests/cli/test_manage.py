"""`sluiceway sources | destinations | mappings` against a real management API on a real socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sluiceway.cli import app
from sluiceway.kit.testing import MockServer
from sluiceway.store import SECRET_MASK

from .conftest import SECRET, TOKEN, Running


def _source(sluiceway: Running, name: str = "Website") -> dict[str, Any]:
    return json.loads(sluiceway.ok("sources", "create", name, "--json").stdout)


def _webhook(sluiceway: Running, source_id: str) -> dict[str, Any]:
    result = sluiceway.ok(
        "destinations", "create", "actions-webhook", "--name", "Hook",
        "--setting", f"sharedSecret={SECRET}", "--source", source_id, "--json",
    )  # fmt: skip
    return json.loads(result.stdout)


def _subscription(
    vendor: MockServer, name: str = "Orders", *, enabled: bool = True
) -> dict[str, Any]:
    return {
        "name": name,
        "subscribe": 'event = "Order Completed"',
        "partnerAction": "send",
        "mapping": {
            "url": f"{vendor.url}/hook",
            "method": "POST",
            "data": {"@path": "$.properties"},
        },
        "enabled": enabled,
    }


def _import(
    sluiceway: Running, destination_id: str, tmp_path: Path, body: Any
) -> list[dict[str, Any]]:
    file = tmp_path / "mapping.json"
    file.write_text(json.dumps(body))
    return json.loads(
        sluiceway.ok("mappings", "import", destination_id, str(file), "--json").stdout
    )


# sources


def test_sources_create_list_show_and_the_write_key(sluiceway: Running) -> None:
    created = sluiceway.ok("sources", "create", "Website")
    (record,) = sluiceway.store.sources.list()

    assert record.id in created.stdout and record.write_key in created.stdout
    table = sluiceway.ok("sources", "list").stdout
    assert "1 sources" in table and record.id in table and "Website" in table
    assert record.write_key in sluiceway.ok("sources", "show", record.id).stdout
    (listed,) = json.loads(sluiceway.ok("sources", "list", "--json").stdout)
    assert (listed["id"], listed["write_key"]) == (record.id, record.write_key)


def test_sources_disable_enable_and_delete(sluiceway: Running) -> None:
    source = _source(sluiceway)

    assert "is disabled" in sluiceway.ok("sources", "disable", source["id"]).stdout
    assert sluiceway.store.sources.get(source["id"]).enabled is False
    assert "is enabled" in sluiceway.ok("sources", "enable", source["id"]).stdout
    assert sluiceway.store.sources.get(source["id"]).enabled is True

    refused = sluiceway.run("sources", "delete", source["id"], input="n\n")
    assert refused.exit_code == 1 and len(sluiceway.store.sources.list()) == 1
    sluiceway.ok("sources", "delete", source["id"], "--yes")
    assert sluiceway.store.sources.list() == []


# destinations


def test_destination_create_keeps_the_secret_masked_everywhere(sluiceway: Running) -> None:
    source = _source(sluiceway)
    created = _webhook(sluiceway, source["id"])

    assert created["source_ids"] == [source["id"]]
    assert sluiceway.store.destinations.reveal_settings(created["id"])["sharedSecret"] == SECRET
    settings = sluiceway.ok("destinations", "settings", created["id"]).stdout
    assert "sharedSecret" in settings and SECRET_MASK in settings
    assert json.loads(sluiceway.ok("destinations", "settings", created["id"], "--json").stdout) == {
        "sharedSecret": SECRET_MASK
    }
    table = sluiceway.ok("destinations", "list").stdout
    assert created["id"] in table and "actions-webhook" in table and source["id"] in table
    # Running.run has checked that no output above shows SECRET.


def test_typed_settings_are_sent_as_the_catalog_declares_them(sluiceway: Running) -> None:
    result = sluiceway.ok(
        "destinations", "create", "actions-posthog", "--name", "PostHog",
        "--setting", f"api_key={SECRET}", "--setting", "project_id=42",
        "--setting", "historical_migration=true", "--json",
    )  # fmt: skip

    settings = sluiceway.store.destinations.reveal_settings(json.loads(result.stdout)["id"])
    assert settings["historical_migration"] is True and settings["api_key"] == SECRET


def test_destination_enable_disable_connect_disconnect_delete(sluiceway: Running) -> None:
    first, second = _source(sluiceway, "Web"), _source(sluiceway, "App")
    destination = _webhook(sluiceway, first["id"])
    destination_id = destination["id"]

    sluiceway.ok("destinations", "disable", destination_id)
    assert sluiceway.store.destinations.get(destination_id).enabled is False
    sluiceway.ok("destinations", "enable", destination_id)
    assert sluiceway.store.destinations.get(destination_id).enabled is True

    sluiceway.ok("destinations", "connect", destination_id, second["id"])
    assert set(sluiceway.store.destinations.get(destination_id).source_ids) == {
        first["id"],
        second["id"],
    }
    sluiceway.ok("destinations", "disconnect", destination_id, first["id"])
    assert sluiceway.store.destinations.get(destination_id).source_ids == (second["id"],)

    sluiceway.ok("destinations", "delete", destination_id, "--yes")
    assert sluiceway.store.destinations.list() == []


def test_test_connection_reports_success(sluiceway: Running) -> None:
    destination = _webhook(sluiceway, _source(sluiceway)["id"])

    assert (
        "Connection successful"
        in sluiceway.ok("destinations", "test-connection", destination["id"]).stdout
    )


def test_catalog_and_show_still_read_the_local_catalog(sluiceway: Running) -> None:
    assert "actions-webhook" in sluiceway.ok("destinations", "catalog").stdout
    assert "sharedSecret" in sluiceway.ok("destinations", "show", "actions-webhook").stdout


# mappings


def test_mappings_import_list_and_show(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _webhook(sluiceway, _source(sluiceway)["id"])
    body = {
        "subscriptions": [_subscription(vendor), _subscription(vendor, "Signups", enabled=False)]
    }

    orders, signups = _import(sluiceway, destination["id"], tmp_path, body)

    assert (orders["enabled"], signups["enabled"]) == (True, False)
    table = sluiceway.ok("mappings", "list", destination["id"]).stdout
    assert "2 of 50 mappings" in table and "Orders" in table and "Signups" in table
    assert 'Event name is "Order Completed"' in table
    shown = sluiceway.ok("mappings", "show", destination["id"], orders["id"]).stdout
    assert 'event = "Order Completed"' in shown and f"{vendor.url}/hook" in shown
    (tmp_path / "one.json").write_text(json.dumps(_subscription(vendor, "Refunds")))
    assert "Imported 1 mapping " in sluiceway.ok("mappings", "import", destination["id"], str(tmp_path / "one.json")).stdout


def test_mapping_enable_disable_rename_duplicate_move_delete(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination_id = _webhook(sluiceway, _source(sluiceway)["id"])["id"]
    (mapping,) = _import(sluiceway, destination_id, tmp_path, _subscription(vendor, enabled=False))
    mapping_id = mapping["id"]

    sluiceway.ok("mappings", "enable", destination_id, mapping_id)
    assert sluiceway.store.mappings.get(mapping_id).enabled is True
    sluiceway.ok("mappings", "disable", destination_id, mapping_id)
    assert sluiceway.store.mappings.get(mapping_id).enabled is False
    sluiceway.ok("mappings", "rename", destination_id, mapping_id, "Purchases")
    assert sluiceway.store.mappings.get(mapping_id).name == "Purchases"

    copied = sluiceway.ok("mappings", "duplicate", destination_id, mapping_id).stdout
    assert "Purchases (Copy)" in copied
    moved = sluiceway.ok("mappings", "move", destination_id, mapping_id, "1", "--json").stdout
    assert [m["name"] for m in json.loads(moved)] == ["Purchases (Copy)", "Purchases"]
    assert "New order" in sluiceway.ok("mappings", "move", destination_id, mapping_id, "1").stdout
    sluiceway.ok("mappings", "move", destination_id, mapping_id, "up")
    assert sluiceway.store.mappings.list(destination_id)[0].id == mapping_id

    sluiceway.ok("mappings", "delete", destination_id, mapping_id, "--yes")
    assert [m.name for m in sluiceway.store.mappings.list(destination_id)] == ["Purchases (Copy)"]


def test_a_mapping_of_another_destination_is_refused(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    source_id = _source(sluiceway)["id"]
    first, second = _webhook(sluiceway, source_id), _webhook(sluiceway, source_id)
    (mapping,) = _import(sluiceway, first["id"], tmp_path, _subscription(vendor))

    result = sluiceway.run("mappings", "delete", second["id"], mapping["id"], "--yes")

    assert result.exit_code == 1 and f"belongs to destination {first['id']}" in result.stderr
    assert len(sluiceway.store.mappings.list(first["id"])) == 1


# errors


def test_a_wrong_token_exits_1_with_the_apis_message(sluiceway: Running) -> None:
    result = sluiceway.run("sources", "list", "--token", "not-the-admin-token")

    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "error: Authorization: Bearer token is not the admin token (HTTP 401)"
    )
    assert "not-the-admin-token" not in result.output


def test_the_token_is_read_from_the_data_directory(sluiceway: Running, tmp_path: Path) -> None:
    (tmp_path / "cli-data").mkdir()
    (tmp_path / "cli-data" / "admin_token").write_text(TOKEN + "\n")

    result = sluiceway.run(
        "sources", "list", SLUICEWAY_ADMIN_TOKEN=None, SLUICEWAY_DATA_DIR=str(tmp_path / "cli-data")
    )

    assert result.exit_code == 0, result.output


def test_no_token_anywhere_says_where_to_put_one(sluiceway: Running, tmp_path: Path) -> None:
    result = sluiceway.run(
        "sources", "list", SLUICEWAY_ADMIN_TOKEN=None, SLUICEWAY_DATA_DIR=str(tmp_path / "empty")
    )

    assert (
        result.exit_code == 1 and "no admin token" in result.stderr and "--token" in result.stderr
    )


def test_an_unreachable_server_is_named(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"

    result = CliRunner().invoke(app, ["sources", "list", "--url", url, "--token", TOKEN])

    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"error: cannot reach Sluiceway at {url}: is `sluiceway serve` running?"
    )
    assert TOKEN not in result.output


def test_a_4xx_names_the_field_and_rule(sluiceway: Running) -> None:
    result = sluiceway.run(
        "destinations", "create", "actions-webhook", "--name", "Hook", "--setting", f"nope={SECRET}"
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == "error: settings.nope: is not a setting of Webhook (HTTP 400)"


def test_an_unknown_id_is_a_404_with_the_apis_message(sluiceway: Running) -> None:
    result = sluiceway.run("sources", "show", "src_missing")

    assert (
        result.exit_code == 1 and "(HTTP 404)" in result.stderr and "src_missing" in result.stderr
    )


def test_an_import_the_api_refuses_names_the_subscription_field(
    sluiceway: Running, vendor: MockServer, tmp_path: Path
) -> None:
    destination = _webhook(sluiceway, _source(sluiceway)["id"])
    bad = {**_subscription(vendor), "mapping": {"nope": 1}}
    (tmp_path / "bad.json").write_text(json.dumps({"subscriptions": [bad]}))

    result = sluiceway.run("mappings", "import", destination["id"], str(tmp_path / "bad.json"))

    assert result.exit_code == 1
    assert "subscriptions[0].mapping.nope: is not a field of send (HTTP 400)" in result.stderr
