"""A new user's path through the web app, in Chromium against a live server.

Each test reads as what the user does; screenshots of the main screens land in
docs/screens/<screen>.png.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import pytest
from segment.analytics.client import Client

from sluiceway.kit.testing import MockResponse, MockServer
from sluiceway.store import SECRET_MASK

from .conftest import TOKEN, Served, log_in, screenshot

pytestmark = pytest.mark.slow


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def create_source(page: Any, name: str = "Website") -> None:
    page.get_by_role("link", name="Sources").click()
    page.get_by_label("Source name").fill(name)
    page.get_by_role("button", name="Create source").click()
    page.wait_for_url(re.compile(r"/sources/[^/?]+"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def add_destination(page: Any, slug: str, name: str, source: str = "Website") -> str:
    page.goto(f"/catalog/{slug}")
    page.get_by_label("Destination name").fill(name)
    page.get_by_label(source).check()
    page.get_by_role("button", name="Add destination").click()
    page.wait_for_url(re.compile(r"/destinations/[^/]+/mappings$"))
    return page.url.split("/destinations/")[1].split("/")[0]


def mapping_rows(page: Any) -> list[str]:
    return page.locator("#mappings-body tr td:nth-child(2)").all_inner_texts()


def test_login_refuses_a_wrong_token_and_accepts_the_right_one(page: Any) -> None:
    page.goto("/destinations")
    page.wait_for_url("**/login?next=/destinations")
    page.get_by_label("Management token").fill("not-the-token-at-all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Those credentials are not valid.")
    screenshot(page, "login")
    page.get_by_label("Management token").fill(TOKEN)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/destinations")
    expect(page.get_by_role("heading", name="Destinations")).to_be_visible()


def test_api_call_with_the_session_but_without_the_csrf_header_is_403(served: Served) -> None:
    with httpx.Client(base_url=served.url) as client:
        client.post("/login", data={"token": TOKEN})
        refused = client.post("/api/v1/sources", json={"name": "Forged"})
        assert refused.status_code == 403
        assert refused.json()["error"]["field"] == "X-CSRF-Token"
        assert client.get("/api/v1/sources").status_code == 200  # reads need no header
        page_html = client.get("/sources").text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page_html).group(1)
        accepted = client.post(
            "/api/v1/sources", json={"name": "Real"}, headers={"X-CSRF-Token": csrf}
        )
        assert accepted.status_code == 201
    assert httpx.post(f"{served.url}/api/v1/sources", json={"name": "x"}).status_code == 401


def test_new_user_builds_a_webhook_pipeline(
    page: Any, served: Served, vendor: MockServer
) -> None:
    log_in(page)
    create_source(page)
    expect(page.get_by_label("Write key")).not_to_have_value("")
    expect(page.get_by_label("curl snippet")).to_contain_text(served.url)
    expect(page.get_by_label("analytics-python snippet")).to_contain_text("analytics.host")
    screenshot(page, "source")

    page.get_by_role("link", name="Catalog").click()
    expect(page.get_by_role("heading", name="Webhook")).to_be_visible()
    screenshot(page, "catalog")
    destination_id = add_destination(page, "actions-webhook", "Order hook")

    # Quick Setup: a Webhook has no presets, and the table says so.
    page.get_by_role("button", name="Quick Setup").click()
    expect(page.locator("#mappings-status")).to_contain_text("no presets")

    # A custom mapping: two conditions, a concatenated field, the URL of the local mock.
    page.get_by_role("button", name="New Mapping").click()
    page.wait_for_url("**/mappings/new")
    page.get_by_label("Mapping name").fill("Big orders")
    page.get_by_role("button", name="Add condition").click()
    page.get_by_label("Condition 2 kind").select_option("event_property")
    page.get_by_label("Condition 2 field").fill("total")
    page.get_by_label("Condition 2 data type").select_option("number")
    page.get_by_label("Condition 2 operator").select_option("greater than")
    page.get_by_label("Condition 2 value").fill("10")
    page.get_by_role("button", name="Generate sample event").click()
    expect(page.get_by_label("Test event (JSON)")).to_have_value(re.compile('"type": "track"'))
    event = {
        "type": "track",
        "event": "Order Completed",
        "userId": "user-1",
        "properties": {"total": 42, "order_id": "o-7"},
    }
    page.get_by_label("Test event (JSON)").fill(json.dumps(event))
    page.get_by_role("button", name="Test trigger").click()
    expect(page.locator("#trigger-result")).to_have_text("The event matches the trigger.")

    page.get_by_label("URL source").select_option("text")
    page.get_by_label("URL text").fill(f"{vendor.url}/orders/{{{{properties.order_id}}}}")
    page.get_by_label("Add optional field").select_option("headers")
    page.get_by_role("button", name="Add field").click()
    page.get_by_label("Headers source").select_option("text")
    page.get_by_label("Headers source").select_option("object")
    page.get_by_role("button", name="Add Headers key").click()
    page.get_by_label("Headers key 1", exact=True).fill("X-Order")
    page.get_by_label("Headers value path 1", exact=True).fill("properties.order_id")
    screenshot(page, "mapping-editor")

    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_label("Request", exact=True)).to_contain_text("/orders/o-7")
    expect(page.get_by_label("Mapped payload")).to_contain_text('"X-Order": "o-7"')
    sent = vendor.wait_for(1)[0]
    assert (sent.path, sent.header("X-Order")) == ("/orders/o-7", "o-7")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/mappings$"))
    expect(page.get_by_role("row", name=re.compile("Big orders"))).to_contain_text(
        'Event type is "track" and Property total greater than 10'
    )

    # A new mapping starts disabled (the seeds): turn it on in the Status column.
    expect(page.get_by_role("switch", name="Enable Big orders")).not_to_be_checked()
    page.get_by_role("switch", name="Enable Big orders").check()
    expect(page.get_by_role("row", name=re.compile("Big orders"))).to_contain_text("Enabled")

    # Duplicate: the copy is "(Copy)" and disabled, placed after the original.
    page.get_by_role("button", name="More actions for Big orders").click()
    page.get_by_role("menuitem", name="Duplicate").click()
    page.get_by_role("button", name="Duplicate Mapping").click()
    expect(page.get_by_role("link", name="Big orders (Copy)")).to_be_visible()
    assert mapping_rows(page) == ["Big orders", "Big orders (Copy)"]
    expect(page.get_by_role("switch", name="Enable Big orders (Copy)")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Enable Big orders", exact=True)).to_be_checked()

    # Reorder with the arrows, then rename.
    page.get_by_role("button", name="Move Big orders (Copy) up").click()
    expect(page.locator("#mappings-body tr").first).to_contain_text("Big orders (Copy)")
    page.get_by_role("button", name="More actions for Big orders (Copy)").click()
    page.get_by_role("menuitem", name="Rename").click()
    page.get_by_label("Mapping name").fill("Big orders, second")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("link", name="Big orders, second")).to_be_visible()
    assert mapping_rows(page) == ["Big orders, second", "Big orders"]
    screenshot(page, "mappings")

    # Event Tester: the enabled mapping sends; a non-matching event gets Segment's words.
    page.get_by_role("link", name="Event Tester").click()
    page.get_by_label("Test event (JSON)").fill(json.dumps(event))
    page.get_by_role("button", name="Send test event").click()
    expect(page.locator("#tester-message")).to_contain_text("1 mapping matched")
    expect(page.get_by_role("article", name="Result for Big orders")).to_contain_text("success")
    expect(page.get_by_label("Request").first).to_contain_text(f"{vendor.url}/orders/o-7")
    screenshot(page, "event-tester")
    page.get_by_label("Test event (JSON)").fill(json.dumps({**event, "properties": {"total": 1}}))
    page.get_by_role("button", name="Send test event").click()
    expect(page.locator("#tester-message")).to_have_text(
        "You may not have any subscriptions that match this event"
    )

    # A filter, previewed on a sample event, then created.
    page.get_by_role("link", name="Filters").click()
    page.get_by_label("Filter title").fill("Drop test orders")
    page.get_by_label("Condition 1 value").fill("Order Completed")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#filter-preview-result")).to_have_text("Preview: this event would be dropped.")
    page.get_by_label("Sample event for preview (JSON)").fill(
        json.dumps({"type": "track", "event": "Signed Up", "properties": {"plan": "pro"}})
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#filter-preview-result")).to_contain_text("would be kept")
    page.get_by_role("button", name="Create filter").click()
    expect(page.get_by_role("row", name=re.compile("Drop test orders"))).to_contain_text(
        'event = "Order Completed"'
    )
    assert len(page.get_by_label("Filter title").input_value()) == 0
    screenshot(page, "filters")

    # Delete a mapping: an irreversible-delete confirmation first.
    page.get_by_role("link", name="Mappings").click()
    page.get_by_role("button", name="More actions for Big orders, second").click()
    page.get_by_role("menuitem", name="Delete").click()
    expect(page.get_by_role("dialog")).to_contain_text("irreversible")
    page.get_by_role("button", name="Delete permanently").click()
    expect(page.get_by_role("link", name="Big orders, second")).to_have_count(0)
    assert mapping_rows(page) == ["Big orders"]
    assert [m["name"] for m in served.api("GET", f"/destinations/{destination_id}/mappings")["mappings"]] == ["Big orders"]


def test_quick_setup_installs_presets_and_settings_never_show_secrets(
    page: Any, served: Served, vendor: MockServer
) -> None:
    log_in(page)
    create_source(page)
    page.goto("/catalog/actions-posthog")
    page.get_by_label("Destination name").fill("Product analytics")
    page.get_by_label("Website").check()
    page.get_by_label(re.compile("^API Key|^Project API Key", re.I)).first.fill("phc_secret_value_123")
    for field in page.locator("#settings-fields input[required]").all():
        if not field.input_value():
            field.fill(vendor.url)
    page.get_by_role("button", name="Add destination").click()
    page.wait_for_url(re.compile(r"/mappings$"))
    page.get_by_role("button", name="Quick Setup").click()
    expect(page.locator("#mappings-body tr")).not_to_have_count(0)
    expect(page.get_by_role("switch").first).to_be_checked()  # Quick Setup sends at once

    page.get_by_role("link", name="Settings").click()
    secret = page.locator("#settings-fields input[type=password]").first
    expect(secret).to_have_value(SECRET_MASK)
    assert "phc_secret_value_123" not in page.content()
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#connection-result")).not_to_have_text("Testing…")
    screenshot(page, "settings")


def test_property_names_with_a_slash_work_in_trigger_and_fields(
    page: Any, served: Served, vendor: MockServer
) -> None:
    _source, destination = served.webhook("Website")
    log_in(page)
    page.goto(f"/destinations/{destination['id']}/mappings/new")
    page.get_by_label("Mapping name").fill("Sizes")
    page.get_by_label("Condition 1 kind").select_option("event_property")
    page.get_by_label("Condition 1 field").fill("size/color")
    page.get_by_label("Condition 1 value").fill("red")
    page.get_by_label("URL source").select_option("static")
    page.get_by_label("URL static value").fill(f"{vendor.url}/sizes")
    page.get_by_label("Data source").select_option("path")
    page.get_by_label("Data event path").fill("properties.size/color")
    page.get_by_label("Test event (JSON)").fill(
        json.dumps(
            {"type": "track", "event": "Viewed", "userId": "u-1", "properties": {"size/color": "red"}}
        )
    )
    page.get_by_role("button", name="Test trigger").click()
    expect(page.locator("#trigger-result")).to_have_text("The event matches the trigger.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/mappings$"))
    expect(page.get_by_role("row", name=re.compile("Sizes"))).to_contain_text("size/color")

    page.get_by_role("link", name="Sizes").click()  # the FAQ's "Couldn't load page"
    expect(page.get_by_label("Condition 1 field")).to_have_value("size/color")
    expect(page.get_by_label("Data event path")).to_have_value("properties.size/color")
    saved = served.api("GET", f"/destinations/{destination['id']}/mappings")["mappings"][0]
    assert saved["mapping"]["data"] == {"@path": "$.properties.size/color"}


def test_phone_width_screens_fit_without_sideways_scrolling(
    browser: Any, served: Served
) -> None:
    source, destination = served.webhook("Website")
    served.api(
        "POST",
        f"/destinations/{destination['id']}/mappings",
        {"name": "All tracks", "subscribe": 'type = "track"', "action": "send",
         "mapping": {"url": "https://example.com/hook", "method": "POST"}},
        201,
    )
    context = browser.new_context(base_url=served.url, viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        log_in(phone)
        for path, name in [
            (f"/destinations/{destination['id']}/mappings", "phone-mappings"),
            (f"/destinations/{destination['id']}/mappings/new", "phone-mapping-editor"),
            (f"/sources/{source['id']}", None),
            ("/catalog", None),
        ]:
            phone.goto(path)
            phone.wait_for_load_state("networkidle")
            overflow = phone.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 392, (path, overflow)
            if name:
                screenshot(phone, name)
        phone.goto(f"/destinations/{destination['id']}/mappings")
        expect(phone.get_by_role("button", name="More actions for All tracks")).to_be_visible()
    finally:
        context.close()


def _step_count(page: Any, label: str) -> str:
    return page.locator("#delivery-steps li", has_text=label).locator(".count").inner_text()


def test_real_sdk_events_show_in_the_debugger_and_delivery_overview_and_failures_replay(
    page: Any, served: Served, vendor: MockServer
) -> None:
    source, destination = served.webhook("Website")
    served.api(
        "POST", f"/destinations/{destination['id']}/mappings",
        {"name": "Orders", "subscribe": 'event = "Order Completed"', "action": "send", "enabled": True,
         "mapping": {"url": f"{vendor.url}/orders", "method": "POST", "data": {"order": {"@path": "$.properties.order"}}}},
        201,
    )
    client = Client(source["write_key"], host=served.url, sync_mode=True)
    for n in range(3):
        client.track("user-1", "Order Completed", {"order": n})
    client.identify("user-1", {"plan": "enterprise"})
    client.flush()
    expect_requests(vendor, 3)
    # Neither userId nor anonymousId: accepted with 200 as Segment does, then rejected.
    httpx.post(f"{served.url}/v1/track", auth=(source["write_key"], ""), json={"event": "Nobody"}).raise_for_status()

    log_in(page)
    page.goto(f"/sources/{source['id']}")
    rejected = page.locator("#ingest-failed")
    refresh_until(page, lambda: rejected.inner_text() == "1")  # metrics are flushed twice a second
    expect(page.locator("#ingest-received")).to_have_text("4")
    expect(rejected).to_have_text("1")
    reject_row = page.get_by_role("table", name="Rejected events").get_by_role("row", name=re.compile("no_user_anon_id"))
    expect(reject_row).to_contain_text("1 sample")
    reject_row.get_by_text("1 sample").click()
    expect(reject_row).to_contain_text('"event": "Nobody"')
    events = page.get_by_role("list", name="Recent events").get_by_role("button")
    expect(events).to_have_count(5)  # the debugger lists rejected events too, with their reason
    expect(events.first).to_contain_text("no_user_anon_id")
    expect(events.nth(1)).to_contain_text("identify")
    page.get_by_label("Search events").fill("enterprise")
    expect(events).to_have_count(1)
    events.first.click()
    expect(page.get_by_label("Event JSON")).to_contain_text('"plan": "enterprise"')
    screenshot(page, "source-debugger")

    page.goto(f"/destinations/{destination['id']}/event-tester")
    page.get_by_role("button", name="Load event from source").click()
    expect(page.get_by_label("Test event (JSON)")).to_have_value(re.compile('"plan": "enterprise"'))
    page.goto(f"/destinations/{destination['id']}/mappings/new")
    page.get_by_role("button", name="Load event from source").click()
    expect(page.locator("#trigger-result")).to_have_text("Loaded the latest event from the source.")
    expect(page.get_by_label("Test event (JSON)")).to_have_value(re.compile('"userId": "user-1"'))

    page.goto(f"/destinations/{destination['id']}/delivery")
    delivered = page.locator("#delivery-steps li", has_text="Successful delivery").locator(".count")
    refresh_until(page, lambda: delivered.inner_text() == "3")  # metrics are flushed twice a second
    expect(delivered).to_have_text("3")
    expect(page.locator("#delivery-steps li", has_text="Successfully received").locator(".count")).to_have_text("4")
    discards = page.get_by_role("table", name="Discards")
    expect(discards.get_by_role("row", name=re.compile("NO_MATCHING_MAPPING"))).to_contain_text("1")
    expect(page.locator("#delivery-chart polyline")).to_have_count(2)

    vendor.handler = lambda request: MockResponse(status=400, body='{"error":"bad order"}')
    client.track("user-2", "Order Completed", {"order": 99})
    client.flush()
    failed = page.get_by_role("table", name="Failed events")
    failed_count = page.locator("#delivery-steps li", has_text="Failed delivery").locator(".count")
    # The dead letter and the metrics arrive a moment apart.
    refresh_until(page, lambda: failed.get_by_role("row").count() > 1 and failed_count.inner_text() == "1")
    expect(failed.get_by_role("row", name=re.compile("400"))).to_have_count(1)
    expect(page.locator("#delivery-steps li", has_text="Failed delivery").locator(".count")).to_have_text("1")
    screenshot(page, "delivery-overview")

    vendor.handler = None
    failed.get_by_role("button", name=re.compile("^Replay ")).click()
    expect(page.locator("#replay-status")).to_have_text("Replayed 1 event.")
    expect_requests(vendor, 5)  # 3 delivered, 1 refused, then the replayed one
    assert json.loads(vendor.requests[-1].body) == {"order": 99}


def refresh_until(page: Any, ready: Any) -> None:
    """Press the page's Refresh until `ready()` (at most ~10 s); the caller then asserts."""
    for _ in range(50):
        page.get_by_role("button", name="Refresh").click()
        page.wait_for_timeout(200)
        if ready():
            return


def expect_requests(vendor: MockServer, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(vendor.requests) < count:
        assert time.monotonic() < deadline, f"the vendor saw {len(vendor.requests)} requests, expected {count}"
        time.sleep(0.05)


def test_the_event_tester_keeps_an_event_typed_before_its_opening_sample_arrives(
    page: Any, served: Served
) -> None:
    _source, destination = served.webhook("Website")
    log_in(page)
    held: list[Any] = []
    def hold(route: Any) -> None:  # hold the opening sample back
        held.append(route)

    page.route("**/api/v1/sample-event", hold)
    page.goto(f"/destinations/{destination['id']}/event-tester")
    typed = '{"type": "track", "event": "Typed first", "userId": "u"}'
    page.get_by_label("Test event (JSON)").fill(typed)
    while not held:
        page.wait_for_timeout(20)

    with page.expect_response("**/api/v1/sample-event"):
        held[0].continue_()

    expect(page.get_by_label("Test event (JSON)")).to_have_value(typed)
    page.unroute("**/api/v1/sample-event", hold)
    page.get_by_role("button", name="Generate sample event").click()  # asked for: it replaces
    expect(page.get_by_label("Test event (JSON)")).not_to_have_value(typed)
    expect(page.get_by_label("Test event (JSON)")).to_have_value(re.compile('"type": "track"'))
