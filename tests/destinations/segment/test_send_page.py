"""Send Page: `POST /v1/page` with the page's name and category."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import CONTEXT, HEADERS, IDS, run


def test_a_page_call_is_forwarded_with_name_category_and_properties(server: MockServer) -> None:
    event = sample_event("page", name="Pricing", category="Docs", properties={"path": "/pricing"})

    run(server, "sendPage", event)

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/v1/page", HEADERS)
    assert request.body == (
        b"{" + IDS + b',"name":"Pricing","category":"Docs",' + CONTEXT + b',"properties":{"path":"/pricing"}}'
    )


def test_a_page_name_that_is_not_text_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "sendPage", sample_event("page", name={"title": "Pricing"}))

    assert (caught.value.field, caught.value.rule) == ("page_name", "type")
    assert server.requests == []
