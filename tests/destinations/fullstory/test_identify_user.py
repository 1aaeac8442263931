"""Identify User (v1): custom vars with camel-cased, type-suffixed names."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import HEADERS, run


def test_an_identify_call_sets_the_users_custom_vars(server: MockServer) -> None:
    run(server, "identifyUser", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/v1/individual/user-123/customvars?integration=segment")
    assert request.app_headers == HEADERS
    assert request.body == (
        b'{"email_str":"jane@example.com","firstName_str":"Jane","lastName_str":"Doe","plan_str":"pro",'
        b'"segmentAnonymousId_str":"anon-456","email":"jane@example.com"}'
    )


def test_trait_names_are_camel_cased_keeping_known_suffixes(server: MockServer) -> None:
    traits = {"first_name": "Jane", "Last Name": "Doe", "seats": 3, "signup-date_date": "2024-05-01", "name": "J D"}

    run(server, "identifyUser", sample_event("identify", traits=traits))

    assert server.requests[0].body == (
        b'{"firstName_str":"Jane","lastName_str":"Doe","seats_real":3,"signupDate_date":"2024-05-01",'
        b'"name_str":"J D","segmentAnonymousId_str":"anon-456","displayName":"J D"}'
    )


def test_the_v1_api_needs_a_user_id(server: MockServer) -> None:
    event = sample_event("identify")
    del event["userId"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "identifyUser", event)

    assert (caught.value.field, caught.value.rule) == ("userId", "required")
    assert server.requests == []
