"""Send Alias: `POST /v1/alias` merging a previous id into the user id."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import CONTEXT, HEAD, HEADERS, run


def test_an_alias_call_is_forwarded_with_both_ids(server: MockServer) -> None:
    run(server, "sendAlias", sample_event("alias", previousId="anon-456"))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/alias", HEADERS)
    assert request.body == b'{"userId":"user-123","previousId":"anon-456",' + HEAD + b"," + CONTEXT + b"}"


def test_an_alias_needs_the_previous_id(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendAlias", sample_event("alias"))

    assert (caught.value.field, caught.value.rule) == ("previous_id", "required")
    assert server.requests == []
