"""Send Identify: `POST /v1/identify` with the traits."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import CONTEXT, HEADERS, IDS, anonymous, run


def test_an_identify_call_is_forwarded_with_its_traits(server: MockServer) -> None:
    run(server, "sendIdentify", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/identify", HEADERS)
    assert request.body == (
        b"{" + IDS + b"," + CONTEXT
        + b',"traits":{"email":"jane@example.com","firstName":"Jane","lastName":"Doe","plan":"pro"}}'
    )


def test_an_anonymous_identify_keeps_the_anonymous_id_only(server: MockServer) -> None:
    event = sample_event("identify", context=None)
    del event["userId"]

    run(server, "sendIdentify", event)

    assert server.requests[0].json() == {
        "anonymousId": "anon-456",
        "messageId": "msg-789",
        "timestamp": "2024-05-01T12:00:00.000Z",
        "traits": {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "plan": "pro"},
    }


def test_an_identify_without_ids_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendIdentify", anonymous(sample_event("identify")))

    assert (caught.value.field, caught.value.rule) == ("user_id", "required")
    assert "Either Anonymous ID or User ID must be defined." in caught.value.message
    assert server.requests == []
