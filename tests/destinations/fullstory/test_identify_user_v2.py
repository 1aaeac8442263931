"""Identify User V2: `POST /v2/users` with the traits as properties."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import HEADERS, run


def test_an_identify_call_creates_or_updates_the_user(server: MockServer) -> None:
    run(server, "identifyUserV2", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v2/users", HEADERS)
    assert request.body == (
        b'{"uid":"user-123","email":"jane@example.com","properties":{"email":"jane@example.com",'
        b'"firstName":"Jane","lastName":"Doe","plan":"pro","segmentAnonymousId":"anon-456"}}'
    )


def test_a_name_trait_becomes_the_display_name(server: MockServer) -> None:
    traits = {"name": "Jane Doe", "favourite colour": "green"}

    run(server, "identifyUserV2", sample_event("identify", traits=traits))

    assert server.requests[0].body == (
        b'{"uid":"user-123","display_name":"Jane Doe","properties":{"name":"Jane Doe",'
        b'"favouritecolour":"green","segmentAnonymousId":"anon-456"}}'
    )


def test_traits_that_are_not_an_object_are_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "identifyUserV2", sample_event("identify"), {"properties": ["pro"]})

    assert (caught.value.field, caught.value.rule) == ("properties", "type")
    assert server.requests == []
