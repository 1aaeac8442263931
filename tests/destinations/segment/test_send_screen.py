"""Send Screen: `POST /v1/screen` with the screen's name."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import CONTEXT, HEADERS, IDS, run


def test_a_screen_call_is_forwarded_with_its_name(server: MockServer) -> None:
    run(server, "sendScreen", sample_event("screen", name="Cart", properties={"items": 2}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/screen", HEADERS)
    assert request.body == b"{" + IDS + b',"name":"Cart",' + CONTEXT + b',"properties":{"items":2}}'


def test_properties_that_are_not_an_object_are_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendScreen", sample_event("screen", name="Cart", properties=["items"]))

    assert (caught.value.field, caught.value.rule) == ("properties", "type")
    assert server.requests == []
