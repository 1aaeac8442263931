"""Event Tester, Test Mapping, sample events, suggestions, test connection, filters API."""

from __future__ import annotations

from typing import Any

from sluiceway.kit.testing import MockResponse, MockServer

from .conftest import Api

EVENT = {
    "type": "track",
    "event": "Order Completed",
    "userId": "u-1",
    "properties": {"total": 30, "sku": "A-1"},
}


def _hooked(
    api: Api, vendor: MockServer, *, enabled: bool = True, secret: str | None = None
) -> tuple[dict, dict]:
    source = api.source()
    settings = {"sharedSecret": secret} if secret else {}
    destination = api.webhook(source["id"], **settings)
    body = {
        "name": "Orders",
        "subscribe": 'event = "Order Completed"',
        "action": "send",
        "mapping": {
            "url": f"{vendor.url}/hook",
            "method": "POST",
            "data": {"@path": "$.properties"},
        },
        "enabled": enabled,
    }
    mapping = api.call("POST", f"/destinations/{destination['id']}/mappings", body, status=201)
    return destination, mapping


def test_the_event_tester_sends_a_real_request_per_matching_mapping(
    api: Api, vendor: MockServer
) -> None:
    destination, mapping = _hooked(api, vendor, secret="hmac-secret-123")

    result = api.call("POST", f"/destinations/{destination['id']}/event-tester", {"event": EVENT})

    (request,) = vendor.requests
    assert (request.method, request.path, request.json()) == (
        "POST",
        "/hook",
        {"total": 30, "sku": "A-1"},
    )
    (call,) = result["results"]
    assert (result["matched"], result["calls"], call["mapping_id"], call["verdict"]) == (
        1,
        1,
        mapping["id"],
        "success",
    )
    assert call["request"]["body"] == '{"total":30,"sku":"A-1"}'
    assert call["response"]["status"] == 200
    assert "hmac-secret-123" not in str(result)


def test_no_matching_mapping_gives_segments_exact_message(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor, enabled=False)

    result = api.call("POST", f"/destinations/{destination['id']}/event-tester", {"event": EVENT})

    assert result["message"] == "You may not have any subscriptions that match this event"
    assert (result["matched"], vendor.requests) == (0, [])


def test_the_tester_bypasses_filters_unless_asked(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)
    source_id = destination["source_ids"][0]
    drop_all = {
        "sourceId": source_id,
        "title": "Drop",
        "if": "all",
        "actions": [{"type": "DROP"}],
        "enabled": True,
    }
    api.call("POST", f"/destination/{destination['id']}/filters", drop_all)

    bypassed = api.call("POST", f"/destinations/{destination['id']}/event-tester", {"event": EVENT})
    filtered = api.call(
        "POST",
        f"/destinations/{destination['id']}/event-tester",
        {"event": EVENT, "apply_filters": True},
    )

    assert bypassed["matched"] == 1 and len(vendor.requests) == 1
    assert filtered["filtered"]["reason"] == "FILTERED_BY_RULES" and len(vendor.requests) == 1


def test_the_tester_shows_a_failed_call_with_its_response(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)
    vendor.enqueue(MockResponse(status=400, body='{"error":"bad"}'))

    (call,) = api.call("POST", f"/destinations/{destination['id']}/event-tester", {"event": EVENT})[
        "results"
    ]

    assert (call["verdict"], call["code"], call["response"]["status"]) == (
        "failed",
        "BAD_REQUEST",
        400,
    )


def test_an_event_without_a_valid_type_is_refused(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)

    refused = api.call(
        "POST",
        f"/destinations/{destination['id']}/event-tester",
        {"event": {"type": "nope"}},
        status=400,
    )

    assert refused["error"]["field"] == "event.type"


def test_test_mapping_dry_runs_an_unsaved_mapping_and_can_send(
    api: Api, vendor: MockServer
) -> None:
    destination, mapping = _hooked(api, vendor, enabled=False)
    unsaved = {
        "mapping_id": mapping["id"],
        "mapping": {
            "url": f"{vendor.url}/other",
            "method": "PUT",
            "data": {"sku": {"@path": "$.properties.sku"}},
        },
    }

    dry = api.call(
        "POST", f"/destinations/{destination['id']}/test-mapping", {**unsaved, "event": EVENT}
    )
    sent = api.call(
        "POST",
        f"/destinations/{destination['id']}/test-mapping",
        {**unsaved, "event": EVENT, "send": True},
    )

    assert (dry["verdict"], dry["matches_trigger"], dry["payload"]["data"]) == (
        "dry_run",
        True,
        {"sku": "A-1"},
    )
    assert sent["verdict"] == "success"
    assert [(r.method, r.path) for r in vendor.requests] == [("PUT", "/other")]


def test_test_mapping_reports_the_field_that_fails_validation(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)
    body = {
        "action": "send",
        "mapping": {"url": {"@path": "$.properties.nowhere"}, "method": "POST"},
        "event": EVENT,
    }

    result = api.call("POST", f"/destinations/{destination['id']}/test-mapping", body)

    assert (result["verdict"], result["code"], result["field"]) == (
        "failed",
        "PAYLOAD_VALIDATION_FAILED",
        "url",
    )


def test_a_sample_event_is_generated_for_a_trigger(api: Api) -> None:
    result = api.call(
        "POST", "/sample-event", {"subscribe": 'type = "track" and properties.total > 10'}
    )

    assert result["matches"] is True
    assert result["event"]["type"] == "track" and result["event"]["properties"]["total"] > 10


def test_suggested_mappings_rank_event_paths(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)
    event: dict[str, Any] = {"type": "track", "properties": {"page_url": "https://x.example/y"}}

    found = api.call(
        "POST",
        f"/destinations/{destination['id']}/suggest-mappings",
        {"action": "send", "event": event},
    )

    assert found["suggestions"]["url"][0]["mapping"] == {"@path": "$.properties.page_url"}


def test_test_connection_reports_success_for_a_destination_without_a_check(
    api: Api, vendor: MockServer
) -> None:
    destination, _ = _hooked(api, vendor)

    assert api.call("POST", f"/destinations/{destination['id']}/test-connection")["ok"] is True


def test_filters_speak_the_public_api_shapes(api: Api, vendor: MockServer) -> None:
    destination, _ = _hooked(api, vendor)
    dest_id, source_id = destination["id"], destination["source_ids"][0]
    body = {
        "sourceId": source_id,
        "title": "No emails",
        "if": "all",
        "actions": [{"type": "DROP_PROPERTIES", "fields": {"properties": ["email"]}}],
        "enabled": True,
    }

    created = api.call("POST", f"/destination/{dest_id}/filters", body)["data"]["filter"]
    listed = api.call("GET", f"/destination/{dest_id}/filters?pagination[count]=1")["data"]
    patched = api.call(
        "PATCH", f"/destination/{dest_id}/filters/{created['id']}", {"enabled": False}
    )["data"]["filter"]
    preview = api.call(
        "POST",
        "/destination/filters/preview",
        {
            "filter": {"if": "all", "actions": body["actions"]},
            "payload": {"properties": {"email": "a@b.c", "x": 1}},
        },
    )["data"]
    dropped = api.call(
        "POST",
        "/destination/filters/preview",
        {"filter": {"if": "all", "actions": [{"type": "DROP"}]}, "payload": {"a": 1}},
    )["data"]
    deleted = api.call("DELETE", f"/destination/{dest_id}/filters/{created['id']}")["data"]
    bad = api.call(
        "POST", f"/destination/{dest_id}/filters", {**body, "if": "properties.x = "}, status=400
    )

    assert (created["if"], created["sourceId"], created["destinationId"]) == (
        "all",
        source_id,
        dest_id,
    )
    assert listed["pagination"]["totalEntries"] == 1 and len(listed["filters"]) == 1
    assert patched["enabled"] is False
    assert preview == {
        "inputPayload": {"properties": {"email": "a@b.c", "x": 1}},
        "result": {"properties": {"x": 1}},
    }
    assert dropped["result"] is None
    assert deleted == {"status": "SUCCESS"}
    assert bad["error"]["field"] == "if"
