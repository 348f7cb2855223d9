"""The licence register: held licences, amendments, drawdowns and expiry."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Header, Path, Query, Request
from fastapi.responses import Response

from clearance.api.auth import Officer, StoreDep, Viewer
from clearance.api.params import MAX_INT, After, Limit
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import (
    DrawdownPage,
    DrawOut,
    DrawRequestJson,
    LicenceList,
    LicenceOut,
    LicencePage,
    ProblemOut,
)
from clearance.checks import check_shipment, read_drawdown
from clearance.licences.model import Licence, LicenceAmendment, LicenceTerms
from clearance.store import licence_dict
from clearance.store.register import licence_etag

router = api_router(prefix="/licences", tags=["licences"])
LicenceId = Annotated[int, Path(ge=1, le=MAX_INT)]
_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ProblemOut}, 422: {"model": ProblemOut}}


@router.get("", response_model=LicencePage)
def list_licences(
    store: StoreDep,
    _key: Viewer,
    after: After = 0,
    limit: Limit = 50,
    regime: Annotated[str | None, Query(pattern=r"^[a-z]{1,16}$")] = None,
    status: Literal["active", "suspended", "revoked"] | None = None,
) -> Response:
    """Held licences, by id."""
    found, next_after = store.licences.page(after, limit, regime, status)
    return json_response({"items": [licence_dict(lic) for lic in found], "next_after": next_after})


def _licence(licence: Licence, status: int = 200) -> Response:
    """A licence with its ``ETag`` (give it as ``If-Match`` to amend only the state read)."""
    headers = {"ETag": licence_etag(licence), "Location": f"/licences/{licence.id}"}
    return json_response(licence_dict(licence), status, headers)


@router.post("", response_model=LicenceOut, status_code=201, responses={409: {"model": ProblemOut}, **_ERRORS})
def add_licence(terms: LicenceTerms, request: Request, store: StoreDep, key: Officer) -> Response:
    """Register a held licence: its regime and licence type must be those of a loaded pack, and its number new
    (201, ``Location`` naming it)."""
    return _licence(store.licences.add(terms, key.actor, request.app.state.regulations), 201)


@router.get("/expiring", response_model=LicenceList)
def expiring(store: StoreDep, _key: Viewer, within_days: Annotated[int, Query(ge=0, le=3650)] = 30) -> Response:
    """Active licences expiring within ``within_days`` days from today, soonest first."""
    today = store.db.clock().date()
    return json_response({"items": [licence_dict(lic) for lic in store.licences.expiring(today, within_days)]})


@router.get("/{licence_id}", response_model=LicenceOut, responses=_ERRORS)
def get_licence(licence_id: LicenceId, store: StoreDep, _key: Viewer) -> Response:
    """A licence with its balances, and its ``ETag``."""
    return _licence(store.licences.get(licence_id))


@router.patch("/{licence_id}", response_model=LicenceOut, responses={**_ERRORS, 412: {"model": ProblemOut}})
def amend_licence(
    licence_id: LicenceId,
    amendment: LicenceAmendment,
    store: StoreDep,
    key: Officer,
    if_match: Annotated[
        str | None,
        Header(max_length=200, description="The licence's ETag as read: amend only if it has not changed since (412)."),
    ] = None,
) -> Response:
    """Amend validity, limits, conditions or status (with a reason, recorded in the audit trail); with
    ``If-Match``, only if the licence is still as read (else 412: read it again)."""
    return _licence(store.licences.amend(licence_id, amendment, key.actor, if_match))


@router.get("/{licence_id}/drawdowns", response_model=DrawdownPage, responses=_ERRORS)
def list_drawdowns(
    licence_id: LicenceId, store: StoreDep, _key: Viewer, after: After = 0, limit: Limit = 50
) -> Response:
    """The licence's drawdown history, oldest first."""
    found, next_after = store.licences.drawdowns(licence_id, after, limit)
    return json_response({"items": [d.to_dict() for d in found], "next_after": next_after})


@router.post(
    "/{licence_id}/drawdowns",
    response_model=DrawOut,
    status_code=201,
    responses={409: {"model": ProblemOut}, **_ERRORS},
)
def draw(
    licence_id: LicenceId, body: Annotated[DrawRequestJson, Body()], request: Request, store: StoreDep, key: Officer
) -> Response:
    """Record a shipment against the licence: refused (422, with a reason) on overdraw, expiry, or a
    destination, item, counterparty or licence type it does not cover; atomic; idempotent by ``key``. The
    shipment is read as ``POST /determinations`` reads it (a product resolved against the server's catalogue), so
    the value drawn is the resolved shipment's."""
    drawdown = read_drawdown(body, request.app.state.catalogue)
    answer = check_shipment(drawdown.shipment, request.app.state.regulations, store.lists.screener())
    outcome = store.licences.draw(licence_id, drawdown, answer, key.actor)
    data = {
        "drawdown": outcome.drawdown.to_dict(),
        "licence": licence_dict(outcome.licence),
        "warnings": list(outcome.warnings),
        "repeated": outcome.repeated,
    }
    return json_response(data, 200 if outcome.repeated else 201)
