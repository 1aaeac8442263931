"""The web app's pages: login, logout, and one server-rendered shell per screen.

Each page renders its frame (navigation, headings, labelled controls) with Jinja2 and a
small JSON blob of what its script needs; the script reads and changes everything else
through the management API (`/api/v1`), so the API stays the one place the rules live.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from sluiceway import triggers
from sluiceway.api.management import ManagementContext

from .session import COOKIE_NAME, Credentials, SessionSigner, session_of

HERE = Path(__file__).parent
DESTINATION_TABS = (
    ("settings", "Settings"),
    ("mappings", "Mappings"),
    ("filters", "Filters"),
    ("event-tester", "Event Tester"),
    ("delivery", "Delivery Overview"),
)
CONDITION_KINDS = ("event_type", "event_name", "event_property", "event_trait", "event_context")
DATA_TYPES = ("string", "number", "boolean")


def builder_vocabulary() -> dict[str, Any]:
    """The condition builder's kinds, labels and operators, straight from `sluiceway.triggers`."""
    operators: dict[str, Any] = {}
    for kind in CONDITION_KINDS:
        if kind in (triggers.builder.EVENT_TYPE, triggers.builder.EVENT_NAME):
            operators[kind] = list(triggers.operators_for(kind))
        else:
            operators[kind] = {t: list(triggers.operators_for(kind, t)) for t in DATA_TYPES}
    return {
        "kinds": [{"kind": k, "label": triggers.builder.KIND_LABELS[k]} for k in CONDITION_KINDS],
        "operators": operators,
        "event_types": list(triggers.builder.EVENT_TYPES),
        "no_value": ["exists", "does not exist", "is true", "is false"],
        "max_conditions": triggers.builder.SELF_SERVICE_MAX_CONDITIONS,
    }


def trigger_model(subscribe: str) -> dict[str, Any] | None:
    """The builder's reading of a stored trigger, or None when only raw FQL can show it."""
    try:
        group = triggers.fql_to_group(subscribe)
    except (triggers.TriggerError, ValueError):
        return None
    return group.to_dict() if group is not None else None


def page_routes(ctx: ManagementContext, credentials: Credentials) -> list[BaseRoute]:
    signer = SessionSigner(credentials.token)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    store = ctx.store

    def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        session = session_of(request.scope)
        page = templates.get_template(name).render(
            request=request,
            user=session.user if session else None,
            csrf=session.csrf if session else "",
            base_url=str(request.base_url).rstrip("/"),
            **values,
        )
        return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})

    def page(template: str, **fixed: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            if session_of(request.scope) is None:
                target = quote(request.url.path, safe="/")
                return RedirectResponse(f"/login?next={target}", status_code=303)
            values = {**fixed, **request.path_params}
            if "destination_id" in values:
                record = store.destinations.get(values["destination_id"])
                values["destination"] = {"id": record.id, "name": record.name, "type": record.type}
                values["tabs"] = DESTINATION_TABS
            if values.get("mapping_id"):
                mapping = store.mappings.get(values["mapping_id"])
                values["trigger_model"] = trigger_model(mapping.subscribe)
            if template in ("mapping_editor.html", "filters.html"):
                values["vocabulary"] = builder_vocabulary()
            return render(request, template, **values)

        return endpoint

    async def login_form(request: Request) -> Response:
        return render(
            request,
            "login.html",
            next=_safe_next(request.query_params.get("next")),
            passwords=credentials.user is not None,
            error=None,
        )

    async def login(request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token") or "").strip()
        user, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
        target = _safe_next(str(form.get("next") or ""))
        if token and credentials.check_token(token):
            who = "admin"
        elif user and credentials.check_password(user, password):
            who = user
        else:
            return render(
                request,
                "login.html",
                status=401,
                next=target,
                passwords=credentials.user is not None,
                error="Those credentials are not valid.",
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE_NAME,
            signer.dumps(signer.new_session(who)),
            max_age=signer.max_age,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(request: Request) -> Response:
        session = session_of(request.scope)
        form = await request.form()
        if session is not None and form.get("csrf_token") != session.csrf:
            return HTMLResponse("The form's CSRF token does not match the session.", 403)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE_NAME)
        return response

    async def home(request: Request) -> Response:
        return RedirectResponse("/sources", status_code=303)

    async def destination_home(request: Request) -> Response:
        return RedirectResponse(
            f"/destinations/{request.path_params['destination_id']}/mappings", status_code=303
        )

    return [
        Route("/", home, methods=["GET"]),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/sources", page("sources.html"), methods=["GET"]),
        Route("/sources/{source_id}", page("source.html"), methods=["GET"]),
        Route("/catalog", page("catalog.html"), methods=["GET"]),
        Route("/catalog/{slug}", page("catalog_entry.html"), methods=["GET"]),
        Route("/destinations", page("destinations.html"), methods=["GET"]),
        Route("/destinations/{destination_id}", destination_home, methods=["GET"]),
        Route(
            "/destinations/{destination_id}/settings",
            page("settings.html", tab="settings"),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/mappings",
            page("mappings.html", tab="mappings"),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/mappings/new",
            page("mapping_editor.html", tab="mappings", mapping_id=None, trigger_model=None),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/mappings/{mapping_id}",
            page("mapping_editor.html", tab="mappings"),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/filters",
            page("filters.html", tab="filters"),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/event-tester",
            page("event_tester.html", tab="event-tester"),
            methods=["GET"],
        ),
        Route(
            "/destinations/{destination_id}/delivery",
            page("delivery.html", tab="delivery"),
            methods=["GET"],
        ),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]


def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/sources"
    return target
