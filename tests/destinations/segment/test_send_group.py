"""Send Group: `POST /v1/group` with the group id and its traits."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import CONTEXT, HEADERS, IDS, run


def test_a_group_call_is_forwarded_with_the_group_and_its_traits(server: MockServer) -> None:
    run(server, "sendGroup", sample_event("group", groupId="acme", traits={"name": "Acme", "employees": 50}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/group", HEADERS)
    assert request.body == (
        b"{" + IDS + b',"groupId":"acme",' + CONTEXT + b',"traits":{"name":"Acme","employees":50}}'
    )


def test_a_group_call_needs_a_group_id(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendGroup", sample_event("group"))

    assert (caught.value.field, caught.value.rule) == ("group_id", "required")
    assert server.requests == []
