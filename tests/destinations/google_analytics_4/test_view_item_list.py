"""View Item List: Product List Viewed as `view_item_list`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, ORDER, ORDER_ITEMS, WEB_TARGET, event_body, run, track

LIST = {"list_id": "l-1", "category": "Shoes", "products": ORDER["products"]}


def test_a_product_list_viewed_sends_the_list_and_its_products(server: MockServer) -> None:
    run(server, "viewItemList", track("Product List Viewed", LIST))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"view_item_list", b'"item_list_id":"l-1","item_list_name":"Shoes","items":' + ORDER_ITEMS + b","
    )


def test_a_list_without_products_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "viewItemList", track("Product List Viewed", {"list_id": "l-1"}))

    assert (caught.value.field, caught.value.rule) == ("items", "required")
    assert server.requests == []
