"""Enrichment models through the REST API, and a mapping that reads them."""

from __future__ import annotations

from typing import Any

from .conftest import Api

PRODUCTS = [{"sku": "A-1", "title": "Anvil"}, {"sku": "B-2", "title": "Bellows"}]
EVENT = {"type": "track", "event": "Order Completed", "userId": "u1", "properties": {"sku": "B-2"}}


def _model(api: Api, **overrides: Any) -> dict[str, Any]:
    body = {"name": "products", "key_path": "properties.sku", "key_column": "sku", "rows": PRODUCTS, **overrides}
    return api.call("POST", "/enrichments", body, status=201)


def _mapping(api: Api, destination_id: str, model_id: str) -> dict[str, Any]:
    body = {
        "name": "Orders",
        "subscribe": 'type = "track"',
        "action": "send",
        "mapping": {"url": "https://example.com/h", "method": "POST",
                    "data": {"title": {"@path": "$.enrichments.products.title"}}},
        "enrichment_ids": [model_id],
    }
    return api.call("POST", f"/destinations/{destination_id}/mappings", body, status=201)


def _payload(api: Api, destination_id: str, mapping_id: str) -> Any:
    answer = api.call("POST", f"/destinations/{destination_id}/test-mapping",
                      {"mapping_id": mapping_id, "event": EVENT})
    return answer["payload"]["data"]


def test_a_model_is_created_listed_and_joined_into_a_mappings_payload(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    model = _model(api)
    mapping = _mapping(api, destination["id"], model["id"])

    assert [m["name"] for m in api.call("GET", "/enrichments")["enrichments"]] == ["products"]
    assert api.call("GET", f"/enrichments/{model['id']}")["rows"] == PRODUCTS
    assert _payload(api, destination["id"], mapping["id"]) == {"title": "Bellows"}

    api.call("PATCH", f"/enrichments/{model['id']}", {"rows": [{"sku": "B-2", "title": "Big bellows"}]})
    assert _payload(api, destination["id"], mapping["id"]) == {"title": "Big bellows"}


def test_a_model_in_use_cannot_be_deleted_and_bad_input_names_the_field(api: Api) -> None:
    destination = api.webhook(api.source()["id"])
    model = _model(api)
    mapping = _mapping(api, destination["id"], model["id"])

    refused = api.call("DELETE", f"/enrichments/{model['id']}", status=409)
    assert refused["error"]["field"] == "enrichment_id"
    assert api.call("POST", "/enrichments", {"name": "x", "key_path": "properties.sku", "key_column": "sku",
                                             "rows": [{"title": "no key"}]}, status=400)["error"]["field"].startswith("rows")
    assert api.call("POST", "/enrichments", {"name": "y", "key_path": "p", "key_column": "sku", "rows": [],
                                             "extra": 1}, status=400)["error"]["field"] == "extra"
    assert api.call("PATCH", f"/enrichments/{model['id']}", {"rows": "nope"}, status=400)["error"]["field"] == "rows"

    api.call("DELETE", f"/mappings/{mapping['id']}")
    api.call("DELETE", f"/enrichments/{model['id']}")
    api.call("GET", f"/enrichments/{model['id']}", status=404)
