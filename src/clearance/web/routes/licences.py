"""Held licences: balances, expiry and drawdown history; recording a shipment against a licence and amending
a licence (officers only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from clearance.api.params import MAX_INT
from clearance.checks import check_shipment, read_drawdown
from clearance.errors import InputError
from clearance.licences import LicenceAmendment
from clearance.problems import first_problem
from clearance.store import licence_dict
from clearance.web import data
from clearance.web.i18n import _
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, redirect, render, store_of, text

router = APIRouter(prefix=f"{PREFIX}/licences")
LicenceId = Annotated[int, Path(ge=1, le=MAX_INT)]
PAGE = 50
HISTORY = 500


def _invalid(exc: ValidationError) -> InputError:
    return first_problem(exc).error()


@router.get("")
def licences(
    request: Request,
    user: SignedIn,
    status: Literal["active", "suspended", "revoked", "all"] = "all",
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Response:
    """Held licences with what is left (``GET /licences``)."""
    found, next_after = store_of(request).licences.page(after, PAGE, None, None if status == "all" else status)
    return render(
        request,
        "licences.html",
        page="licences",
        licences=[licence_dict(lic) for lic in found],
        status=status,
        next_after=next_after,
    )


@router.get("/{licence_id}")
def licence(
    request: Request, user: SignedIn, licence_id: LicenceId, drawn: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    """A licence, its balances and drawdowns (``GET /licences/{id}`` and ``GET /licences/{id}/drawdowns``)."""
    store = store_of(request)
    found = licence_dict(store.licences.get(licence_id))
    history, _ = store.licences.drawdowns(licence_id, 0, HISTORY)
    return render(
        request,
        "licence.html",
        page="licences",
        licence=found,
        drawdowns=[d.to_dict() for d in reversed(history)],
        drawn=drawn,
    )


@router.post("/{licence_id}/amend")
def amend(request: Request, user: SignedIn, licence_id: LicenceId, form: CheckedForm) -> Response:
    """Extend or shorten validity, or change the status, with a reason (``PATCH /licences/{id}``)."""
    user.require("officer")
    body: dict[str, Any] = {"reason": text(form, "reason")}
    for field in ("valid_to", "status"):
        if text(form, field):
            body[field] = text(form, field)
    try:
        amendment = LicenceAmendment.model_validate(body)
    except ValidationError as exc:
        raise _invalid(exc) from None
    store_of(request).licences.amend(licence_id, amendment, user.key.actor)
    return redirect(request, f"{PREFIX}/licences/{licence_id}?amended=1")


@router.post("/{licence_id}/draw")
def draw(request: Request, user: SignedIn, licence_id: LicenceId, form: CheckedForm) -> Response:
    """Record a checked shipment against the licence (``POST /licences/{id}/drawdowns``)."""
    user.require("officer")
    try:
        shipment = orjson.loads(text(form, "shipment") or "null")
    except orjson.JSONDecodeError:
        raise InputError("shipment", _("the shipment did not come through: check it again")) from None
    body: dict[str, Any] = {"shipment": shipment}
    for field in ("quantity", "unit", "key"):
        if text(form, field):
            body[field] = text(form, field)
    request_body = read_drawdown(body, data.catalogue(request))
    store = store_of(request)
    answer = check_shipment(request_body.shipment, request.app.state.regulations, store.lists.screener())
    outcome = store.licences.draw(licence_id, request_body, answer, user.key.actor)
    return redirect(request, f"{PREFIX}/licences/{licence_id}?drawn={outcome.drawdown.id}")
