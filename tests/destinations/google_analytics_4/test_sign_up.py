"""Sign Up: Signed Up as `sign_up` with the sign-up method."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track


def test_a_sign_up_sends_its_method(server: MockServer) -> None:
    run(server, "signUp", track("Signed Up", {"type": "google"}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(b"sign_up", b'"method":"google",')


def test_a_user_id_that_is_not_text_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "signUp", track("Signed Up", {"type": "google"}), {"user_id": {"@path": "$.properties"}})

    assert (caught.value.field, caught.value.rule) == ("user_id", "type")
    assert server.requests == []
