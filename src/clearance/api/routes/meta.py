"""Health (no key needed) and who-am-I."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from clearance.api.auth import StoreDep, Viewer
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import HealthOut, KeyOut

router = api_router(tags=["service"])


@router.get("/health", response_model=HealthOut)
def health(request: Request, store: StoreDep) -> Response:
    """Liveness: the database answers; the regulation packs and their data versions."""
    store.audit.head()
    versions = {regime: regs.data_version for regime, regs in request.app.state.regulations.items()}
    return json_response(HealthOut(status="ok", database=store.db.dialect, data_versions=versions).model_dump())


@router.get("/me", response_model=KeyOut)
def me(key: Viewer) -> Response:
    """The API key making the request: its id, name and role."""
    return json_response(key.to_dict())
