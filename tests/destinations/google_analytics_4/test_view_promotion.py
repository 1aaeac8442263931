"""View Promotion: Promotion Viewed as `view_promotion`."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer

from ._support import JSON_HEADERS, WEB_TARGET, event_body, run, track

PROMOTION = {"promotion_id": "promo-1", "creative": "banner", "name": "Summer Sale", "position": "home_top"}


def test_a_promotion_viewed_sends_the_promotion_and_its_item(server: MockServer) -> None:
    run(server, "viewPromotion", track("Promotion Viewed", PROMOTION), {"creative_name": "Summer Banner"})

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == event_body(
        b"view_promotion",
        b'"creative_name":"Summer Banner","creative_slot":"banner","location_id":"home_top",'
        b'"promotion_id":"promo-1","promotion_name":"Summer Sale","items":[{"item_name":"Summer Sale"}],',
    )


def test_promotion_items_keep_their_promotion_fields(server: MockServer) -> None:
    items = [{"item_id": "p1", "promotion_id": "promo-1", "creative_slot": "hero"}]

    run(server, "viewPromotion", track("Promotion Viewed", PROMOTION), {"items": items})

    assert server.requests[0].json()["events"][0]["params"]["items"] == items


def test_a_promotion_without_an_item_is_refused(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "viewPromotion", track("Promotion Viewed", {"promotion_id": "promo-1"}))

    assert (caught.value.field, caught.value.rule) == ("items.0", "required")
    assert server.requests == []
