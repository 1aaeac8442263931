"""Select Promotion: Promotion Clicked as `select_promotion`; items are optional."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track

PROMOTION = {"promotion_id": "promo-1", "creative": "banner", "name": "Summer Sale", "position": "home_top"}


def test_a_promotion_clicked_sends_the_promotion_without_a_location(server: MockServer) -> None:
    run(server, "selectPromotion", track("Promotion Clicked", PROMOTION))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"select_promotion",
        b'"creative_slot":"banner","promotion_id":"promo-1","promotion_name":"Summer Sale",'
        b'"items":[{"item_name":"Summer Sale"}],',
    )


def test_an_item_without_id_or_name_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "selectPromotion", track("Promotion Clicked", PROMOTION), {"items": [{"price": 1}]})

    assert (caught.value.field, caught.value.rule) == ("items.0", "required")
    assert server.requests == []
