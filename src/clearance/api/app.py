"""The FastAPI application factory: store, regulations, auth, limits, error table, one router per area, and the
web pages (:mod:`clearance.web`, under ``/ui``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

import clearance
from clearance import web
from clearance.api import errors, limits
from clearance.api.auth import Authenticator, required_role
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
from clearance.api.settings import Settings
from clearance.classify.catalogue import Catalogue
from clearance.classify.tabular import load_catalogue
from clearance.law import load_regulations
from clearance.law.regulations import Regulations
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
role in `x-required-role`. Errors are `{"error": {"type", "message", "field"?}}`."""


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
    app = FastAPI(title="clearance", version=clearance.__version__, description=DESCRIPTION)
    app.state.settings = settings
    app.state.store = store or Store(settings.database_url)
    app.state.regulations = regulations if regulations is not None else load_regulations()
    app.state.catalogue = catalogue_of(settings, app.state.regulations)
    app.state.authenticate = Authenticator(app.state.store, settings.key_cache_seconds)
    for router in ROUTERS:
        for route in api_routes(router):
            route.openapi_extra = {**(route.openapi_extra or {}), "x-required-role": required_role(route) or "none"}
        app.include_router(router)
    errors.install(app)
    web.install(app)
    limits.install(app, settings.max_body_bytes)
    return app


def catalogue_of(settings: Settings, regulations: Mapping[str, Regulations]) -> Catalogue | None:
    """The product catalogue the service resolves ``{"product": PART}`` items against (``settings.catalogue``),
    read and checked once; None without one. :class:`~clearance.errors.InputError` if it does not read cleanly."""
    return load_catalogue(Path(settings.catalogue), regulations) if settings.catalogue else None


def from_environment() -> FastAPI:
    """The app as ``clearance serve`` starts it in each worker (settings from ``CLEARANCE_*`` variables)."""
    return create_app(settings_from_environment())


def settings_from_environment() -> Settings:
    """Settings from ``CLEARANCE_DATABASE_URL``, ``CLEARANCE_MAX_BODY_BYTES``, ``CLEARANCE_MAX_BATCH``, and for
    the web pages ``CLEARANCE_SESSION_SECRET``, ``CLEARANCE_CATALOGUE``, ``CLEARANCE_PORTFOLIO`` and
    ``CLEARANCE_DEMO``."""
    env = os.environ
    defaults = Settings()
    return Settings(
        database_url=env.get("CLEARANCE_DATABASE_URL") or None,
        max_body_bytes=int(env.get("CLEARANCE_MAX_BODY_BYTES") or defaults.max_body_bytes),
        max_batch=int(env.get("CLEARANCE_MAX_BATCH") or defaults.max_batch),
        session_secret=env.get("CLEARANCE_SESSION_SECRET") or None,
        catalogue=env.get("CLEARANCE_CATALOGUE") or None,
        portfolio=env.get("CLEARANCE_PORTFOLIO") or None,
        demo=env.get("CLEARANCE_DEMO", "") == "1",
    )
