"""Secret settings: encrypted at rest, masked in every record, repr, log and change."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from sluiceway.store import (
    KEY_FILE_NAME,
    SECRET_KEY_ENV,
    SECRET_MASK,
    ConfigStore,
    SecretBox,
    StoreError,
    ValidationError,
    mask_settings,
)

API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
PASSWORD = "hunter2-but-longer"


def slack(store: ConfigStore, workspace_id: str, **settings: object):
    values = {"apiKey": API_KEY, "password": PASSWORD, "channel": "#orders", **settings}
    return store.destinations.create(
        workspace_id, "Slack", "slack", settings=values, secret_keys={"apiKey", "password"}
    )


def database_bytes(directory: Path) -> bytes:
    """Every byte SQLite wrote: the database file and its WAL."""
    return b"".join(path.read_bytes() for path in sorted(directory.glob("config.db*")))


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def file_store(directory: Path):
    with ConfigStore.open(directory=directory, environ={}) as store:
        yield store


def test_records_show_secrets_as_the_mask(store, workspace):
    created = slack(store, workspace.id)
    expected = {"apiKey": SECRET_MASK, "password": SECRET_MASK, "channel": "#orders"}
    assert created.settings == expected
    assert store.destinations.get(created.id).settings == expected
    assert store.destinations.masked_settings(created.id) == expected
    assert [record.settings for record in store.destinations.list()] == [expected]
    assert created.secret_keys == frozenset({"apiKey", "password"})


def test_the_mask_is_constant_and_reveals_nothing_of_the_secret(store, workspace):
    created = slack(store, workspace.id)
    assert created.settings["apiKey"] == created.settings["password"] == "••••••••••"
    assert API_KEY[-4:] not in created.settings["apiKey"]


def test_reveal_settings_returns_the_plaintext_for_delivery(store, workspace):
    created = slack(store, workspace.id)
    assert store.destinations.reveal_settings(created.id) == {
        "apiKey": API_KEY,
        "password": PASSWORD,
        "channel": "#orders",
    }


def test_empty_secrets_are_shown_as_they_are(store, workspace):
    created = slack(store, workspace.id, apiKey="", password=None)
    assert created.settings["apiKey"] == ""
    assert created.settings["password"] is None


def test_sending_the_mask_back_keeps_the_stored_secret(store, workspace):
    created = slack(store, workspace.id)
    updated = store.destinations.update_settings(created.id, {**created.settings, "channel": "#sales"})
    assert updated.settings["channel"] == "#sales"
    assert store.destinations.reveal_settings(created.id)["apiKey"] == API_KEY
    assert store.destinations.reveal_settings(created.id)["password"] == PASSWORD


def test_sending_a_new_value_replaces_the_secret(store, workspace):
    created = slack(store, workspace.id)
    store.destinations.update_settings(created.id, {**created.settings, "apiKey": "sk_live_new"})
    assert store.destinations.reveal_settings(created.id)["apiKey"] == "sk_live_new"
    assert store.destinations.reveal_settings(created.id)["password"] == PASSWORD


def test_leaving_a_setting_out_removes_it(store, workspace):
    created = slack(store, workspace.id)
    store.destinations.update_settings(created.id, {"apiKey": SECRET_MASK, "channel": "#x"})
    assert store.destinations.reveal_settings(created.id) == {"apiKey": API_KEY, "channel": "#x"}


def test_the_mask_with_no_stored_secret_is_rejected(store, workspace):
    created = slack(store, workspace.id, password="")
    with pytest.raises(ValidationError) as error:
        store.destinations.update_settings(created.id, {**created.settings, "password": SECRET_MASK})
    assert error.value.field == "settings.password"


def test_a_mask_on_create_is_rejected(store, workspace):
    with pytest.raises(ValidationError) as error:
        slack(store, workspace.id, apiKey=SECRET_MASK)
    assert error.value.field == "settings.apiKey"


def test_a_segment_style_masked_value_is_not_saved_as_the_secret(store, workspace):
    created = slack(store, workspace.id)
    with pytest.raises(ValidationError, match="masked value") as error:
        store.destinations.update_settings(created.id, {**created.settings, "apiKey": "••••••••••p7dc"})
    assert error.value.field == "settings.apiKey"
    assert store.destinations.reveal_settings(created.id)["apiKey"] == API_KEY


def test_a_setting_declared_secret_later_becomes_masked(store, workspace):
    created = store.destinations.create(workspace.id, "Hook", "webhook", settings={"token": "t0k3n-value"})
    assert created.settings == {"token": "t0k3n-value"}
    updated = store.destinations.update_settings(created.id, {"token": "t0k3n-value"}, secret_keys={"token"})
    assert updated.settings == {"token": SECRET_MASK}


def test_the_mask_of_a_key_no_longer_secret_keeps_its_value(store, workspace):
    created = slack(store, workspace.id)
    updated = store.destinations.update_settings(created.id, created.settings, secret_keys={"apiKey"})
    assert updated.settings["password"] == PASSWORD
    assert updated.settings["apiKey"] == SECRET_MASK


@pytest.mark.parametrize(
    ("settings", "secret_keys", "field"),
    [
        ([], (), "settings"),
        ({"a": object()}, (), "settings"),
        ({"": 1}, (), "settings"),
        ({}, "apiKey", "secret_keys"),
        ({}, [1], "secret_keys"),
    ],
)
def test_settings_must_be_a_json_object_and_secret_keys_a_set_of_names(store, workspace, settings, secret_keys, field):
    with pytest.raises(ValidationError) as error:
        store.destinations.create(workspace.id, "X", "webhook", settings=settings, secret_keys=secret_keys)
    assert error.value.field == field


def test_mask_settings_masks_only_declared_non_empty_secrets():
    assert mask_settings({"a": "1", "b": "2", "c": ""}, {"a", "c"}) == {"a": SECRET_MASK, "b": "2", "c": ""}


def test_secrets_never_reach_the_database_file_in_plaintext(file_store, directory):
    workspace = file_store.workspaces.create("Acme")
    created = slack(file_store, workspace.id)
    file_store.destinations.update_settings(created.id, {**created.settings, "apiKey": "sk_live_rotated_value"})
    file_store.snapshot()
    raw = database_bytes(directory)
    assert b"#orders" in raw  # the check can see plain settings, so it would see secrets
    for secret in (API_KEY, PASSWORD, "sk_live_rotated_value"):
        assert secret.encode() not in raw


def test_secrets_stay_out_of_the_change_log(store, workspace):
    created = slack(store, workspace.id)
    store.destinations.update_settings(created.id, {**created.settings, "apiKey": "sk_live_next"})
    log = repr(store.changes())
    assert "#orders" in log
    for secret in (API_KEY, PASSWORD, "sk_live_next"):
        assert secret not in log


def test_secrets_stay_out_of_reprs(store, workspace, box):
    source = store.sources.create(workspace.id, "Web")
    created = slack(store, workspace.id)
    store.destinations.connect(created.id, source.id)
    snapshot = store.snapshot()
    route = snapshot.sources[0].destinations[0]
    assert route.settings["apiKey"] == API_KEY  # the router gets the real value...
    texts = [repr(created), repr(snapshot), repr(route), repr(store), repr(box), repr(source)]
    for text in texts:  # ...but no repr shows it
        assert API_KEY not in text and PASSWORD not in text
        assert source.write_key not in text


def test_secrets_stay_out_of_logs_even_with_sql_logging(store, workspace, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    created = slack(store, workspace.id)
    store.destinations.update_settings(created.id, {**created.settings, "password": "s3cond-secret"})
    store.destinations.get(created.id)
    store.snapshot()
    assert "destination.create" in caplog.text
    assert "INSERT INTO destinations" in caplog.text
    for secret in (API_KEY, PASSWORD, "s3cond-secret"):
        assert secret not in caplog.text


def test_the_key_file_is_created_owner_only_on_first_start(file_store, directory):
    key_file = directory / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    Fernet(key_file.read_bytes().strip())  # a valid Fernet key


def test_the_data_directory_is_owner_only(tmp_path):
    directory = tmp_path / "fresh"
    ConfigStore.open(environ={"SLUICEWAY_DATA_DIR": str(directory)}).close()
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert (directory / "config.db").exists()


def test_the_key_file_is_reused_on_the_next_start(file_store, directory):
    workspace = file_store.workspaces.create("Acme")
    created = slack(file_store, workspace.id)
    key = (directory / KEY_FILE_NAME).read_bytes()
    with ConfigStore.open(directory=directory, environ={}) as again:
        assert again.destinations.reveal_settings(created.id)["apiKey"] == API_KEY
    assert (directory / KEY_FILE_NAME).read_bytes() == key


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    directory = tmp_path / "data"
    ConfigStore.open(directory=directory, environ={}).close()
    os.chmod(directory / KEY_FILE_NAME, 0o644)
    with pytest.raises(StoreError, match="chmod 600"):
        ConfigStore.open(directory=directory, environ={})


def test_the_environment_key_is_used_instead_of_a_key_file(tmp_path):
    directory = tmp_path / "data"
    key = Fernet.generate_key().decode()
    with ConfigStore.open(directory=directory, environ={SECRET_KEY_ENV: key}) as store:
        workspace = store.workspaces.create("Acme")
        created = slack(store, workspace.id)
    assert not (directory / KEY_FILE_NAME).exists()
    with ConfigStore.open(directory=directory, environ={SECRET_KEY_ENV: key}) as store:
        assert store.destinations.reveal_settings(created.id)["apiKey"] == API_KEY


def test_a_malformed_environment_key_is_refused_without_echoing_it(tmp_path):
    with pytest.raises(StoreError) as error:
        ConfigStore.open(directory=tmp_path, environ={SECRET_KEY_ENV: "not-a-fernet-key"})
    assert error.value.field == SECRET_KEY_ENV
    assert "not-a-fernet-key" not in str(error.value)


def test_a_wrong_key_cannot_read_secrets(engine, store, workspace):
    created = slack(store, workspace.id)
    stranger = ConfigStore(engine, SecretBox([Fernet.generate_key()]))
    with pytest.raises(StoreError) as error:
        stranger.destinations.reveal_settings(created.id)
    assert error.value.field == "secret_settings"


def test_rotation_reencrypts_with_the_first_key(engine, secret_key, store, workspace):
    created = slack(store, workspace.id)
    new_key = Fernet.generate_key()
    both = ConfigStore(engine, SecretBox([new_key, secret_key]))
    assert both.destinations.reveal_settings(created.id)["apiKey"] == API_KEY
    assert both.rotate_secrets() == 1
    only_new = ConfigStore(engine, SecretBox([new_key]))
    assert only_new.destinations.reveal_settings(created.id)["apiKey"] == API_KEY
    with pytest.raises(StoreError):
        store.destinations.reveal_settings(created.id)  # the old key alone no longer opens it


def test_several_environment_keys_allow_rotation(tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with ConfigStore.open(directory=tmp_path, environ={SECRET_KEY_ENV: old}) as store:
        created = slack(store, store.workspaces.create("Acme").id)
    with ConfigStore.open(directory=tmp_path, environ={SECRET_KEY_ENV: f"{new}, {old}"}) as store:
        assert store.destinations.reveal_settings(created.id)["password"] == PASSWORD
