"""get_path: Segment's dotted, escaped field paths."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from sluiceway import fql

EVENT = {
    "userId": "u1",
    "properties": {
        "product 1": {"price": "19.99"},
        "a.b": "dotted",
        "coupon": None,
        "products": [{"sku": "S-1"}, {"sku": "S-2"}],
        "deep": {"x": {"y": {"z": 1}}},
    },
}


@pytest.mark.parametrize(("path", "value"), [
    ("userId", "u1"),
    ("properties.product\\ 1.price", "19.99"),
    ("properties.product 1.price", "19.99"),
    ("properties.a\\.b", "dotted"),
    ("properties.products.1.sku", "S-2"),
    ("properties.deep.x.y.z", 1),
    ("properties.coupon", None),
    ("properties.missing", None),
    ("properties.coupon.deeper", None),
    ("properties.products.9.sku", None),
    ("properties.products.x", None),
    ("userId.0", None),
    ("nothing.at.all", None),
])
def test_get_path(path: str, value: object) -> None:
    assert fql.get_path(EVENT, path) == value


def test_get_path_reads_any_mapping() -> None:
    event = OrderedDict(properties=OrderedDict(a=1))
    assert fql.get_path(event, "properties.a") == 1
    assert fql.compile("properties.a = 1").matches(event)


@pytest.mark.parametrize("event", [None, 5, "text", [1, 2], {"properties": "text"}])
def test_get_path_on_non_objects_is_null(event: object) -> None:
    assert fql.get_path(event, "properties.a") is None
