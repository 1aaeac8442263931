"""Secrets never leave: not in any API answer, not in the service's log, whatever happens."""

from __future__ import annotations

import httpx
import pytest

from sluiceway import kit
from sluiceway.kit.testing import MockResponse, MockServer

from .conftest import TOKEN, Service

pytestmark = pytest.mark.slow

HOOK_SECRET = "whsec-hook-secret-5f1d2a"
AMPLITUDE_KEY = "amp-api-key-77c0e9b4"
AMPLITUDE_SECRET = "amp-secret-key-d3a8f6"
GA4_SECRET = "ga4-api-secret-0b9e41"  # Google wants it in the query string: URLs must not be logged
SECRETS = (HOOK_SECRET, AMPLITUDE_KEY, AMPLITUDE_SECRET, GA4_SECRET)


def _no_secret(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} appears in {where}"


def test_secrets_stay_out_of_every_answer_and_the_log(service: Service, vendor: MockServer) -> None:
    vendor.handler = lambda request: MockResponse(status=500, body="vendor exploded")
    source = service.api("POST", "/sources", {"name": "Website"}, status=201)
    hook = service.api(
        "POST", "/destinations",
        {"name": "Hook", "type": "actions-webhook", "source_ids": [source["id"]],
         "settings": {"sharedSecret": HOOK_SECRET}}, status=201,
    )
    amplitude = service.api(
        "POST", "/destinations",
        {"name": "Amp", "type": "actions-amplitude", "source_ids": [source["id"]],
         "settings": {"apiKey": AMPLITUDE_KEY, "secretKey": AMPLITUDE_SECRET, "base_url_override": vendor.url}},
        status=201,
    )
    mapping = service.api(
        "POST", f"/destinations/{hook['id']}/mappings",
        {"name": "All", "subscribe": 'type = "track"', "action": "send", "enabled": True,
         "mapping": {"url": f"{vendor.url}/hook", "method": "POST", "data": {"@path": "$.properties"}}},
        status=201,
    )
    service.api("POST", f"/destinations/{amplitude['id']}/quick-setup", {}, status=201)
    ga4 = service.api(
        "POST", "/destinations",
        {"name": "GA4", "type": "actions-google-analytics-4", "source_ids": [source["id"]],
         "settings": {"measurementId": "G-TEST", "apiSecret": GA4_SECRET, "base_url_override": vendor.url}},
        status=201,
    )
    custom = kit.catalog()["actions-google-analytics-4"].actions["customEvent"]
    service.api(
        "POST", f"/destinations/{ga4['id']}/mappings",
        {"name": "Custom events", "subscribe": 'type = "track"', "action": "customEvent", "enabled": True,
         "mapping": custom.default_mapping()},
        status=201,
    )
    event = {"type": "track", "event": "Order Completed", "userId": "u1", "messageId": "m-secret-1",
             "properties": {"order": 1}}
    answers: dict[str, str] = {}

    def record(name: str, response: httpx.Response) -> None:
        assert response.status_code == 200, (name, response.status_code, response.text)
        answers[name] = response.text

    headers = {"Authorization": f"Bearer {TOKEN}"}
    api = f"{service.url}/api/v1"
    record("track", httpx.post(f"{service.url}/v1/track", json=event, auth=(source["write_key"], "")))
    service.wait_for(
        lambda: any(GA4_SECRET in r.target for r in vendor.requests) and len(vendor.requests) >= 3,
        what="delivery attempts against the failing vendor",
    )
    for dest in (hook, amplitude, ga4):
        record(f"{dest['name']} event tester", httpx.post(f"{api}/destinations/{dest['id']}/event-tester", json={"event": event},
                                          headers=headers, timeout=30))
        record(f"{dest['name']} test connection", httpx.post(f"{api}/destinations/{dest['id']}/test-connection", json={},
                                             headers=headers, timeout=30))
        for path in ("", "/mappings", "/delivery-overview", "/failed-events"):
            record(f"{dest['name']} GET {path}", httpx.get(f"{api}/destinations/{dest['id']}{path}", headers=headers))
    record("test mapping", httpx.post(f"{api}/destinations/{hook['id']}/test-mapping",
                                      json={"mapping_id": mapping["id"], "event": event, "send": True},
                                      headers=headers, timeout=30))
    record("list", httpx.get(f"{api}/destinations", headers=headers))
    record("debugger", httpx.get(f"{api}/sources/{source['id']}/events", headers=headers))
    record("trace", httpx.get(f"{api}/events/m-secret-1/trace", headers=headers))
    record("metrics", httpx.get(f"{service.url}/metrics"))
    record("openapi", httpx.get(f"{api}/openapi.json"))

    assert len(answers) >= 16
    for name, text in answers.items():
        _no_secret(name, text)
    service.stop()
    _no_secret("the service log", service.log.read_text())
    # The vendor does get them, where its API wants them: that is the point of a secret setting.
    assert any(AMPLITUDE_KEY in request.body.decode() for request in vendor.requests if request.path.endswith("httpapi"))
