"""API keys (admin): list, create (the key is shown once), revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import Response

from clearance.api.auth import Admin, StoreDep
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import KeyCreatedOut, KeyIn, KeyList, KeyOut, ProblemOut

router = api_router(prefix="/keys", tags=["keys"])


@router.get("", response_model=KeyList)
def list_keys(store: StoreDep, _key: Admin) -> Response:
    """Every API key (never the keys themselves)."""
    return json_response({"items": [k.to_dict() for k in store.keys.list()]})


@router.post(
    "",
    response_model=KeyCreatedOut,
    status_code=201,
    responses={422: {"model": ProblemOut}},
    openapi_extra={"x-idempotent": False},  # the token is shown once and never kept
)
def create_key(body: KeyIn, store: StoreDep, key: Admin) -> Response:
    """Create a key; ``token`` is the key itself, returned only now."""
    created, token = store.keys.create(body.name, body.role, key.actor)
    return json_response({"key": created.to_dict(), "token": token}, 201)


@router.delete("/{key_id}", response_model=KeyOut, responses={404: {"model": ProblemOut}})
def revoke_key(
    key_id: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")], request: Request, store: StoreDep, key: Admin
) -> Response:
    """Revoke a key: it stops working at once on this server."""
    revoked = store.keys.revoke(key_id, key.actor)
    request.app.state.authenticate.forget()
    return json_response(revoked.to_dict())
