"""The FastAPI application factory: store, regulations, auth, limits, error table, one router per area, and the
web pages (:mod:`clearance.web`, under ``/ui``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

import clearance
from clearance import web
from clearance.api import errors, limits, openapi
from clearance.api.auth import Authenticator, required_role
from clearance.api.idempotency import Idempotency
from clearance.api.routes import (
    audit,
    classifications,
    determinations,
    impact,
    keys,
    law,
    licences,
    meta,
    orders,
    review,
    screening,
)
from clearance.api.routing import idempotent
from clearance.classify.catalogue import Catalogue
from clearance.classify.tabular import load_catalogue
from clearance.law import load_regulations
from clearance.law.regulations import Regulations
from clearance.settings import Settings
from clearance.store import Store

#: The routers, one per area; add a classification router here.
ROUTERS: tuple[APIRouter, ...] = (
    meta.router,
    determinations.router,
    classifications.router,
    orders.router,
    screening.router,
    review.router,
    licences.router,
    law.router,
    impact.router,
    audit.router,
    keys.router,
)

DESCRIPTION = """Export-control determinations, screening and its review queue, the licence register, the law
over time, impact runs and a tamper-evident audit trail. The web pages (sign in at `/ui/`) show the same data.

Authenticate with an API key (`clearance keys create`) as `Authorization: Bearer <key>` or `X-API-Key`.
Roles, each including the ones before it: **viewer** (read), **analyst** (determine, screen, impact, replay),
**officer** (licences, drawdowns and decisions on screening hits), **admin** (API keys). Each operation names its
role in `x-required-role`. Send bodies as JSON (`Content-Type: application/json`, e.g. `curl --json @shipment.json`).
Errors are RFC 9457 problem details (`application/problem+json`): `{"type", "title", "status", "detail",
"errors": [{"field", "value", "message"}]}`, with every bad field."""


def api_routes(router: APIRouter) -> list[APIRoute]:
    """The routes of a router (paths include its prefix)."""
    return [route for route in router.routes if isinstance(route, APIRoute)]


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    regulations: Mapping[str, Regulations] | None = None,
) -> FastAPI:
    """The HTTP API over ``store`` (default: opened from ``settings.database_url`` or the environment), resolving
    product references against ``settings.catalogue`` (:func:`catalogue_of`).

    Screening uses the store's lists in use (:meth:`clearance.store.ScreeningLists.index`): the newest imported
    version of each list, else the bundled snapshot; an index is built on first use of each set of versions."""
    settings = settings or Settings()
    app = FastAPI(
        title="clearance",
        version=clearance.__version__,
        description=DESCRIPTION,
        generate_unique_id_function=openapi.operation_id,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings=settings)
    app.state.regulations = regulations if regulations is not None else load_regulations()
    app.state.catalogue = catalogue_of(settings, app.state.regulations)
    app.state.authenticate = Authenticator(app.state.store, settings.key_cache_seconds)
    app.state.idempotency = Idempotency(app.state.store, settings.idempotency_hours)
    for router in ROUTERS:
        for route in api_routes(router):
            role = {"x-required-role": required_role(route) or "none"}
            route.openapi_extra = {**(route.openapi_extra or {}), **role, "x-idempotent": idempotent(route)}
        app.include_router(router)
    errors.install(app)
    openapi.install(app)
    web.install(app)
    limits.install(app, settings.max_body_bytes)
    return app


def catalogue_of(settings: Settings, regulations: Mapping[str, Regulations]) -> Catalogue | None:
    """The product catalogue the service resolves ``{"product": PART}`` items against (``settings.catalogue``),
    read and checked once; None without one. :class:`~clearance.errors.InputError` if it does not read cleanly."""
    return load_catalogue(Path(settings.catalogue), regulations) if settings.catalogue else None


def from_environment() -> FastAPI:
    """The app as each worker of ``clearance serve --workers N`` makes it: :class:`Settings` read from the
    ``CLEARANCE_*`` variables the command passes its workers."""
    return create_app(Settings())
