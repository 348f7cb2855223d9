"""Check a shipment: the answer in words, the steps with their citations, the held licences that can take it,
and the end user screened against the lists (its matches filed in the review queue)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from clearance.api.errors import validation_error
from clearance.checks import check_shipment, read_shipment
from clearance.engine.shipment import Shipment
from clearance.errors import InputError, NoRuleError
from clearance.render import answer_line
from clearance.screening.parties import PartyIn
from clearance.store import Store
from clearance.store.screening_records import Filing
from clearance.web import data
from clearance.web.forms import shipment_data, values
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, render, store_of

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


#: The shipment's names for the fields of a screened party.
_PARTY_FIELDS = {"name": "end_user.name", "country": "end_user.country", "subject": "ref"}


def _end_user(store: Store, shipment: Shipment) -> Filing | None:
    """The end user's screening (as ``POST /screening/parties`` screens), checked and scored but not filed yet;
    errors name the shipment's fields."""
    if shipment.end_user is None:
        return None
    try:
        party = PartyIn.model_validate(
            {"name": shipment.end_user.name, "country": shipment.end_user.country, "subject": shipment.ref}
        )
        return store.screening.prepare(party.query(), party_id=party.party_id, subject=party.subject)
    except ValidationError as exc:
        error = validation_error(list(exc.errors()))
    except InputError as exc:
        error = exc
    top = error.field.split(".")[0]
    raise InputError(_PARTY_FIELDS.get(top, error.field), error.message)


@router.get("/check")
def check_form(request: Request, user: SignedIn) -> Response:
    """The shipment form."""
    return _page(request, {"regime": "jp", "kind": "goods", "currency": "JPY", "end_use": "civil"})


@router.post("/check")
def check(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Determine the shipment and record it (as ``POST /determinations`` does), then screen its end user (as
    ``POST /screening/parties`` does). Everything is checked first: a bad form records nothing."""
    user.require("analyst")
    fields = values(form)
    regulations = request.app.state.regulations
    store = store_of(request)
    try:
        shipment = read_shipment(shipment_data(fields), data.catalogue(request))
        end_user = _end_user(store, shipment)
        answer = check_shipment(shipment, regulations, store.lists.screener())
    except (InputError, NoRuleError) as exc:
        field, message = (exc.field, exc.message) if isinstance(exc, InputError) else (None, str(exc))
        return _page(request, fields, 422, error={"field": field, "message": message})
    recorded = store.determinations.record(shipment, regulations, user.key.actor).to_dict()
    screened = None if end_user is None else store.screening.file(end_user, user.key.actor).to_dict()
    return _page(
        request,
        fields,
        recorded=recorded,
        sources={c["id"]: c for c in recorded["determination"]["citations"]},
        answer=answer_line(answer),
        shipment_json=shipment.model_dump_json(exclude_defaults=True),
        shipment=shipment,
        screened=screened,
    )
