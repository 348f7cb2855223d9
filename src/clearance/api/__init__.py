"""The HTTP API (FastAPI): a thin edge over the store, the licence register, screening and the audit trail.

    >>> app = create_app(Settings(database_url="sqlite:///clearance.db"))

Run it with ``clearance serve``; the OpenAPI schema is at ``/openapi.json``. The web framework is imported on
first use of these names, so that ``clearance.cli.service`` stays quick to load for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clearance.settings import Settings

if TYPE_CHECKING:
    from clearance.api.app import ROUTERS, api_routes, create_app
    from clearance.api.auth import required_role

__all__ = ["ROUTERS", "Settings", "api_routes", "create_app", "required_role"]


def __getattr__(name: str) -> Any:
    if name in ("ROUTERS", "api_routes", "create_app"):
        from clearance.api import app

        return getattr(app, name)
    if name == "required_role":
        from clearance.api import auth

        return auth.required_role
    raise AttributeError(f"module 'clearance.api' has no attribute {name!r}")
