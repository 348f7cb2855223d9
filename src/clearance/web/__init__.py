"""The web application: server-rendered pages (Jinja2, no scripts) under ``/ui``, each the HTML view of what a
JSON route returns, for people signed in with an API key.

:func:`install` mounts it on the API app (:func:`clearance.api.create_app` does so): the pages, the static
stylesheet, session cookies, and HTML error pages for ``/ui`` paths.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from clearance.web import errors
from clearance.web.pages import HERE, PREFIX, speak
from clearance.web.routes import ROUTERS
from clearance.web.session import Sessions, secret


def install(app: FastAPI) -> None:
    """Add the web pages to ``app`` (after the API's error handlers are installed)."""
    app.state.web_sessions = Sessions(secret(app.state.settings), app.state.store)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False, dependencies=[Depends(speak)])
    errors.install(app)


__all__ = ["install"]
