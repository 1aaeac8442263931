"""Login: Signed In as `login`; the method is not mapped by default."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track


def test_a_login_sends_the_mapped_method(server: MockServer) -> None:
    run(server, "login", track("Signed In", {"provider": "email"}), {"method": {"@path": "$.properties.provider"}})

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(b"login", b'"method":"email",')


def test_an_engagement_time_that_is_not_a_number_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "login", track("Signed In", {}), {"engagement_time_msec": "a while"})

    assert (caught.value.field, caught.value.rule) == ("engagement_time_msec", "type")
    assert server.requests == []
