"""Generate Lead: `generate_lead` with the lead's currency and value."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track


def test_a_lead_sends_its_currency_and_value(server: MockServer) -> None:
    run(server, "generateLead", track("Lead Generated", {"currency": "usd", "value": 120}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(b"generate_lead", b'"currency":"USD","value":120,')


def test_an_unknown_currency_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "generateLead", track("Lead Generated", {"currency": "bitcoin", "value": 1}))

    assert (caught.value.field, caught.value.rule) == ("currency", "enum")
    assert server.requests == []
