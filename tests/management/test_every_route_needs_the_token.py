"""Every management route, enumerated from the app itself, answers 401 without the token."""

from __future__ import annotations

import re

from starlette.routing import Mount, Route

from sluiceway.api.app import API_PREFIX, OPENAPI_PATH

from .conftest import Api


def _routes(app: object) -> list[tuple[str, str]]:
    """(method, concrete path) for every route under the API prefix, parameters filled in."""
    found: list[tuple[str, str]] = []
    for mount in getattr(app, "routes", []):
        if not (isinstance(mount, Mount) and mount.path == API_PREFIX):
            continue
        for route in mount.routes:
            if not isinstance(route, Route):
                continue
            path = re.sub(r"\{[^}:]+(:[^}]+)?\}", "x1", route.path)
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, API_PREFIX + path))
    return found


def test_every_management_route_refuses_a_missing_or_wrong_token(api: Api) -> None:
    routes = _routes(api.client.app)
    assert len(routes) > 40  # the whole surface, not a handful
    for method, path in routes:
        if path == OPENAPI_PATH:
            continue
        missing = api.client.request(method, path, json={})
        wrong = api.client.request(method, path, json={}, headers={"Authorization": "Bearer not-the-token"})
        assert (missing.status_code, wrong.status_code) == (401, 401), (method, path, missing.text)
        assert missing.json()["error"]["field"] == "Authorization"
