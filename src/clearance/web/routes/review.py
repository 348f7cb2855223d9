"""The screening review queue: open hits, a hit with the party and the list entry side by side and the score
feature by feature, clearing or confirming it (officer), screening a party, and the good-guy list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from clearance.api.params import MAX_INT
from clearance.problems import first_problem
from clearance.screening.parties import DecisionIn, PartyIn
from clearance.web import data
from clearance.web.errors import error_page
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, redirect, render, store_of, text

router = APIRouter(prefix=f"{PREFIX}/review")
HitId = Annotated[int, Path(ge=1, le=MAX_INT)]
PAGE = 25
SCHEMAS = ("LegalEntity", "Company", "Organization", "Person", "PublicBody", "Vessel", "Airplane")


def _first_error(exc: ValidationError) -> dict[str, str]:
    problem = first_problem(exc)
    return {"field": problem.field, "message": problem.message}


@router.get("")
def queue(
    request: Request,
    user: SignedIn,
    status: Literal["open", "suppressed", "confirmed", "all"] = "open",
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Response:
    """The queue (``GET /screening/hits``), open hits first."""
    store = store_of(request)
    found, next_after = store.screening.page(after, PAGE, status=None if status == "all" else status)
    return render(
        request,
        "review.html",
        page="review",
        status=status,
        hits=[h.to_dict() for h in found],
        next_after=next_after,
        counts=store.screening.counts(),
        countries=data.countries(),
        schemas=SCHEMAS,
    )


@router.get("/good-guys")
def good_guys(request: Request, user: SignedIn, after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0) -> Response:
    """The good-guy list (``GET /screening/good-guys``)."""
    found, next_after = store_of(request).screening.page(after, PAGE, status="suppressed")
    return render(request, "good_guys.html", page="review", hits=[h.to_dict() for h in found], next_after=next_after)


@router.post("/screen")
def screen_party(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Screen a party and file its matches (``POST /screening/parties``)."""
    user.require("analyst")
    body: dict[str, Any] = {"name": text(form, "name"), "schema": text(form, "schema") or "LegalEntity"}
    for field in ("country", "party_id"):
        if text(form, field):
            body[field] = text(form, field)
    try:
        party = PartyIn.model_validate(body)
    except ValidationError as exc:
        return error_page(request, 422, **_first_error(exc))
    screened = store_of(request).screening.screen_party(party, user.key.actor)
    return render(request, "screened.html", page="review", screened=screened.to_dict())


@router.get("/{hit_id}")
def hit(request: Request, user: SignedIn, hit_id: HitId) -> Response:
    """One hit (``GET /screening/hits/{hit_id}``)."""
    return render(request, "hit.html", page="review", hit=store_of(request).screening.detail(hit_id))


@router.post("/{hit_id}")
def decide(request: Request, user: SignedIn, hit_id: HitId, form: CheckedForm) -> Response:
    """Clear or confirm a hit with a reason (``POST /screening/hits/{hit_id}/decisions``); officers only."""
    user.require("officer")
    store = store_of(request)
    try:
        body = DecisionIn.model_validate({"verdict": text(form, "verdict"), "reason": text(form, "reason")})
    except ValidationError as exc:
        return render(
            request, "hit.html", 422, page="review", hit=store.screening.detail(hit_id), error=_first_error(exc)
        )
    store.screening.decide(hit_id, body.verdict, body.reason, user.key.actor)
    return redirect(request, f"{PREFIX}/review/{hit_id}?decided=1")
