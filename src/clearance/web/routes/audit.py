"""The audit trail: search records, verify the hash chain, read a record, replay a recorded determination."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from clearance.api.params import MAX_INT, TEXT, Moment
from clearance.audit.replay import replay_stored
from clearance.store import KINDS, record_dict
from clearance.store import Query as AuditQuery
from clearance.store.audit_log import AuditKind
from clearance.web.pages import PREFIX, SignedIn, render, store_of

router = APIRouter(prefix=f"{PREFIX}/audit")
Seq = Annotated[int, Path(ge=1, le=MAX_INT)]
Text = Annotated[str, Query(max_length=256, pattern=TEXT)]
Time = Annotated[Moment, Query()]
PAGE = 50


@router.get("")
def records(
    request: Request,
    user: SignedIn,
    kind: AuditKind | None = None,
    actor: Text = "",
    subject: Text = "",
    since: Time = None,
    until: Time = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
) -> Response:
    """Search the records (``GET /audit``); without a search, the latest page."""
    store = store_of(request)
    query = AuditQuery(kind, actor or None, subject or None, since, until)
    searching = any((kind, actor, subject, since, until))
    start = after if after is not None else (0 if searching else max(0, store.audit.head().seq - PAGE))
    found, next_after = store.audit.page(query, start, PAGE)
    return render(
        request,
        "audit.html",
        page="audit",
        records=[record_dict(e) for e in found],
        next_after=next_after,
        kinds=KINDS,
        search={"kind": kind or "", "actor": actor, "subject": subject, "since": since or "", "until": until or ""},
        start=start,
    )


@router.get("/verify")
def verify(request: Request, user: SignedIn) -> Response:
    """Walk the hash chain (``GET /audit/verify``)."""
    return render(request, "verify.html", page="audit", result=store_of(request).audit.verify().to_dict())


@router.get("/{seq}")
def record(request: Request, user: SignedIn, seq: Seq) -> Response:
    """One record (``GET /audit/{seq}``)."""
    return render(request, "record.html", page="audit", record=record_dict(store_of(request).audit.get(seq)))


@router.get("/{seq}/replay")
def replay(request: Request, user: SignedIn, seq: Seq) -> Response:
    """Re-run a recorded determination today (``GET /audit/{seq}/replay``); analysts and above."""
    user.require("analyst")
    store = store_of(request)
    found = record_dict(store.audit.get(seq))
    result = replay_stored(found, request.app.state.regulations, store.lists.screener())
    return render(request, "record.html", page="audit", record=found, replay=result.to_dict())
