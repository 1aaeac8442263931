"""Search: Products Searched as `search`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track


def test_a_search_sends_the_search_term(server: MockServer) -> None:
    run(server, "search", track("Products Searched", {"query": "blue shoes"}))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(b"search", b'"search_term":"blue shoes",')


def test_a_search_needs_a_term(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "search", track("Products Searched", {"query": ""}))

    assert (caught.value.field, caught.value.rule) == ("search_term", "required")
    assert server.requests == []
