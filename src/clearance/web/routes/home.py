"""The overview: what needs attention today (open hits, licences expiring, the latest audit records)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from clearance.licences import EXPIRY_WARNING_DAYS
from clearance.store import Query, licence_dict, record_dict
from clearance.web.pages import PREFIX, SignedIn, render, store_of

router = APIRouter()
RECENT = 8


@router.get("/")
def root() -> Response:
    """The site's front door: the web pages."""
    return RedirectResponse(f"{PREFIX}/", status_code=307)


@router.get(PREFIX)
@router.get(f"{PREFIX}/")
def overview(request: Request, user: SignedIn) -> Response:
    """Open screening hits, licences expiring within 30 days and the latest audit records."""
    store = store_of(request)
    today = store.db.clock().date()
    head = store.audit.head()
    recent, _ = store.audit.page(Query(), max(0, head.seq - RECENT), RECENT)
    return render(
        request,
        "home.html",
        page="home",
        counts=store.screening.counts(),
        expiring=[licence_dict(lic) for lic in store.licences.expiring(today, EXPIRY_WARNING_DAYS)],
        recent=[record_dict(e) for e in reversed(recent)],
        head=head,
        within=EXPIRY_WARNING_DAYS,
    )
