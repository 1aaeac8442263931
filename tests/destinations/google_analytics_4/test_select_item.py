"""Select Item: Product Clicked as `select_item`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, PRODUCT, PRODUCT_ITEM, WEB_TARGET, event_body, run, track


def test_a_product_clicked_sends_the_item_and_the_mapped_list(server: MockServer) -> None:
    mapping = {"item_list_name": "Search Results", "item_list_id": "l-1"}

    run(server, "selectItem", track("Product Clicked", PRODUCT), mapping)

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"select_item", b'"items":' + PRODUCT_ITEM + b',"item_list_name":"Search Results","item_list_id":"l-1",'
    )


def test_a_list_name_that_is_not_text_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "selectItem", track("Product Clicked", PRODUCT), {"item_list_name": {"name": "x"}})

    assert (caught.value.field, caught.value.rule) == ("item_list_name", "type")
    assert server.requests == []
