"""Check a shipment: the answer in words, the steps with their citations, the held licences that can take it,
and the end user screened against the lists (its matches filed in the review queue)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from clearance.api.routes.review import PartyIn, screen_and_file
from clearance.checks import check as determine_checked
from clearance.checks import read_shipment
from clearance.engine.shipment import Shipment
from clearance.errors import InputError
from clearance.render import answer_line
from clearance.store import Store
from clearance.web import data
from clearance.web.forms import shipment_data, values
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, User, render, store_of

router = APIRouter(prefix=PREFIX)


def _page(request: Request, fields: dict[str, str], status: int = 200, **context: Any) -> Response:
    regulations = request.app.state.regulations
    return render(
        request,
        "check.html",
        status,
        page="check",
        fields=fields,
        regimes=[(rid, regs.meta) for rid, regs in regulations.items()],
        countries=data.countries(),
        catalogue=data.catalogue(request),
        customers=data.customers(request),
        **context,
    )


def _screen_end_user(store: Store, shipment: Shipment, user: User) -> dict[str, Any] | None:
    if shipment.end_user is None:
        return None
    party = PartyIn.model_validate(
        {"name": shipment.end_user.name, "country": shipment.end_user.country, "subject": shipment.ref}
    )
    return screen_and_file(store, party, user.key.actor).to_dict()


@router.get("/check")
def check_form(request: Request, user: SignedIn) -> Response:
    """The shipment form."""
    return _page(request, {"regime": "jp", "kind": "goods", "currency": "JPY", "end_use": "civil"})


@router.post("/check")
def check(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Determine the shipment and record it (as ``POST /determinations`` does), then screen its end user (as
    ``POST /screening/parties`` does)."""
    user.require("analyst")
    fields = values(form)
    regulations = request.app.state.regulations
    store = store_of(request)
    try:
        shipment = read_shipment(shipment_data(fields), data.catalogue(request))
        recorded = store.determinations.record(shipment, regulations, user.key.actor).to_dict()
        screened = _screen_end_user(store, shipment, user)
    except InputError as exc:
        return _page(request, fields, 422, error={"field": exc.field, "message": exc.message})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        return _page(request, fields, 422, error={"field": field, "message": first["msg"]})
    return _page(
        request,
        fields,
        recorded=recorded,
        sources={c["id"]: c for c in recorded["determination"]["citations"]},
        answer=answer_line(determine_checked(shipment, regulations, store.lists.screener())),
        shipment_json=shipment.model_dump_json(exclude_defaults=True),
        shipment=shipment,
        screened=screened,
    )
