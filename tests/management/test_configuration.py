"""Sources, destinations, mappings through the REST API: the seeds' rules, 4xx never 500."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sluiceway.store import SECRET_MASK

from .conftest import TOKEN, Api

MAPPING = {"url": "https://example.com/hook", "method": "POST", "data": {"@path": "$.properties"}}


def _mapping(api: Api, destination_id: str, name: str = "Orders", **extra: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "subscribe": 'type = "track"',
        "action": "send",
        "mapping": MAPPING,
        **extra,
    }
    return api.call("POST", f"/destinations/{destination_id}/mappings", body, status=201)


def test_the_management_api_needs_the_admin_token(api: Api) -> None:
    missing = api.client.get("/api/v1/sources")
    wrong = api.client.get("/api/v1/sources", headers={"Authorization": "Bearer nope"})
    right = api.client.get("/api/v1/sources", headers={"Authorization": f"Bearer {TOKEN}"})

    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing.json()["error"]["field"] == "Authorization"


def test_a_source_is_created_with_a_write_key_and_can_be_disabled(api: Api) -> None:
    source = api.source()
    updated = api.call("PATCH", f"/sources/{source['id']}", {"enabled": False, "name": "Site"})
    rotated = api.call("POST", f"/sources/{source['id']}/write-key")

    assert len(source["write_key"]) >= 20 and source["enabled"] is True
    assert (updated["enabled"], updated["name"]) == (False, "Site")
    assert rotated["write_key"] != source["write_key"]


def test_catalog_lists_destinations_with_actions_and_presets(api: Api) -> None:
    catalog = api.call("GET", "/catalog")["destinations"]
    webhook = api.call("GET", "/catalog/actions-webhook")

    assert {"actions-webhook", "actions-slack"} <= {item["slug"] for item in catalog}
    assert "send" in webhook["actions"]
    api.call("GET", "/catalog/actions-nothing", status=404)


def test_secret_settings_are_masked_in_every_response(api: Api) -> None:
    source = api.source()
    created = api.webhook(source["id"], sharedSecret="s3cret-value")
    fetched = api.call("GET", f"/destinations/{created['id']}")
    listed = api.call("GET", "/destinations")["destinations"]
    kept = api.call(
        "PATCH", f"/destinations/{created['id']}", {"settings": {"sharedSecret": SECRET_MASK}}
    )

    for view in (created, fetched, listed[0], kept):
        assert view["settings"] == {"sharedSecret": SECRET_MASK}
    assert api.store.destinations.reveal_settings(created["id"]) == {"sharedSecret": "s3cret-value"}


def test_unknown_settings_and_types_are_refused_by_name(api: Api) -> None:
    source = api.source()
    bad_setting = api.call(
        "POST",
        "/destinations",
        {
            "name": "H",
            "type": "actions-webhook",
            "settings": {"nope": 1},
            "source_ids": [source["id"]],
        },
        status=400,
    )
    bad_type = api.call(
        "POST", "/destinations", {"name": "H", "type": "actions-nothing"}, status=404
    )

    assert bad_setting["error"]["field"] == "settings.nope"
    assert bad_type["error"]["field"] == "type"


def test_a_new_mapping_is_disabled_and_a_duplicate_is_a_disabled_copy(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    mapping = _mapping(api, destination["id"], enabled=True)
    copy = api.call("POST", f"/mappings/{mapping['id']}/duplicate", status=201)
    plain = _mapping(api, destination["id"], name="Plain")

    assert (mapping["enabled"], plain["enabled"]) == (True, False)
    assert (copy["name"], copy["enabled"], copy["position"]) == ("Orders (Copy)", False, 1)
    assert copy["trigger_summary"] == 'Event type is "track"'


def test_mappings_can_be_reordered_moved_and_deleted(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    first, second, third = (_mapping(api, destination["id"], name=n) for n in ("A", "B", "C"))

    moved = api.call("POST", f"/mappings/{third['id']}/move", {"direction": "up"})["mappings"]
    assert [m["name"] for m in moved] == ["A", "C", "B"]
    order = [second["id"], first["id"], third["id"]]
    reordered = api.call(
        "PUT", f"/destinations/{destination['id']}/mappings/order", {"mapping_ids": order}
    )
    assert [m["name"] for m in reordered["mappings"]] == ["B", "A", "C"]
    api.call("DELETE", f"/mappings/{first['id']}")
    assert [
        m["name"]
        for m in api.call("GET", f"/destinations/{destination['id']}/mappings")["mappings"]
    ] == ["B", "C"]
    api.call("GET", f"/mappings/{first['id']}", status=404)


def test_the_condition_builder_model_becomes_fql_and_its_rules_apply(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    trigger = {
        "match": "all",
        "conditions": [
            {"kind": "event_type", "operator": "is", "value": "track"},
            {"kind": "event_property", "field": "total", "operator": "greater than", "value": 10},
        ],
    }
    created = _mapping(api, destination["id"], subscribe=None, trigger=trigger)
    bad = dict(
        trigger, conditions=[{"kind": "event_property", "field": "1st", "operator": "exists"}]
    )
    refused = api.call(
        "POST",
        f"/destinations/{destination['id']}/mappings",
        {"name": "X", "trigger": bad, "action": "send", "mapping": MAPPING},
        status=400,
    )

    assert created["subscribe"] == 'type = "track" and properties.total > 10'
    assert refused["error"]["field"] == "trigger" and "Invalid Trigger" in refused["error"]["rule"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"name": "X", "subscribe": 'type = "track', "action": "send", "mapping": MAPPING},
            "subscribe",
        ),
        (
            {"name": "X", "subscribe": 'type = "track"', "action": "nope", "mapping": MAPPING},
            "action",
        ),
        (
            {"name": "X", "subscribe": 'type = "track"', "action": "send", "mapping": {"bogus": 1}},
            "mapping.bogus",
        ),
        (
            {
                "name": "X",
                "subscribe": 'type = "track"',
                "action": "send",
                "mapping": {"url": {"@path": 3}},
            },
            "mapping",
        ),
        ({"subscribe": 'type = "track"', "action": "send", "mapping": MAPPING}, "name"),
        ({"name": 5, "subscribe": 'type = "track"', "action": "send", "mapping": MAPPING}, "name"),
    ],
)
def test_a_broken_mapping_is_refused_naming_the_field(
    api: Api, body: dict[str, Any], field: str
) -> None:
    destination = api.webhook(api.source()["id"])

    refused = api.call("POST", f"/destinations/{destination['id']}/mappings", body, status=400)

    assert refused["error"]["field"] == field


def test_invalid_json_bodies_get_a_400_not_a_500(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sources",
        content=b"{not json",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    unknown = api.call("GET", "/nothing/here", status=404)

    assert response.status_code == 400 and response.json()["error"]["field"] == "body"
    assert unknown["error"]["code"] == "not_found"


def test_the_mapping_limit_is_reported_and_enforced(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    listed = api.call("GET", f"/destinations/{destination['id']}/mappings")

    assert listed["limit"] == 50


def test_segment_mapping_json_imports_as_is(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    exported = {
        "subscriptions": [
            {
                "name": "Orders",
                "subscribe": 'event = "Order Completed"',
                "partnerAction": "send",
                "mapping": MAPPING,
                "enabled": True,
            },
            {"subscribe": 'type = "identify"', "partnerAction": "send", "mapping": MAPPING},
        ]
    }

    created = api.call(
        "POST", f"/destinations/{destination['id']}/mappings/import", exported, status=201
    )["mappings"]
    broken = api.call(
        "POST",
        f"/destinations/{destination['id']}/mappings/import",
        {"subscriptions": [{"subscribe": "type =", "partnerAction": "send", "mapping": {}}]},
        status=400,
    )

    assert [(m["name"], m["enabled"], m["subscribe"]) for m in created] == [
        ("Orders", True, 'event = "Order Completed"'),
        ("Send", False, 'type = "identify"'),
    ]
    assert broken["error"]["field"] == "subscriptions[0].subscribe"


def test_the_openapi_document_describes_every_endpoint(api: Api) -> None:
    document = api.client.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.")
    assert "/destinations/{destination_id}/event-tester" in document["paths"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            for status, response in operation.get("responses", {}).items():
                # an unquoted comma in a YAML flow mapping splits a description in two
                assert isinstance(response, dict) and isinstance(response.get("description"), str), (
                    f"{method.upper()} {path} {status}: {response!r}"
                )
                assert set(response) <= {"description", "content", "headers"}, f"{method.upper()} {path} {status}"
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    served = {
        (re.sub(r":[^}]+}", "}", route.path), method)
        for mount in api.client.app.routes if getattr(mount, "path", None) == "/api/v1"
        for route in mount.routes if "{rest" not in route.path
        for method in route.methods - {"HEAD"}
    }
    assert served <= documented, f"undocumented: {sorted(served - documented)}"


def test_declared_setting_defaults_are_filled_in_when_a_destination_is_added(api: Api) -> None:
    source = api.source()
    body = {
        "name": "Braze",
        "type": "actions-braze-cloud",
        "settings": {"api_key": "k" * 20, "app_id": "app"},
        "source_ids": [source["id"]],
    }

    created = api.call("POST", "/destinations", body, status=201)

    assert created["settings"]["endpoint"].startswith("https://rest.")
