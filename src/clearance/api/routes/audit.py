"""The audit trail: query records, verify the hash chain, replay a recorded determination."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, StoreDep, Viewer
from clearance.api.params import MAX_INT, TEXT, After, Limit, Moment
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import AuditPage, AuditRecordOut, ProblemOut, ReplayOut, VerificationOut
from clearance.audit.replay import replay_stored
from clearance.store import Query as AuditQuery
from clearance.store import record_dict
from clearance.store.audit_log import AuditKind

router = api_router(prefix="/audit", tags=["audit"])
Seq = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", response_model=AuditPage)
def list_records(
    store: StoreDep,
    _key: Viewer,
    after: After = 0,
    limit: Limit = 50,
    kind: AuditKind | None = None,
    actor: Annotated[str | None, Query(max_length=256, pattern=TEXT)] = None,
    subject: Annotated[str | None, Query(max_length=200, pattern=TEXT, description="e.g. a shipment ref")] = None,
    since: Annotated[Moment, Query(description="ISO date or time (UTC unless an offset is given), inclusive")] = None,
    until: Annotated[Moment, Query(description="ISO date or time (UTC unless an offset is given), exclusive")] = None,
) -> Response:
    """Audit records, oldest first, filtered by kind, actor, subject and time."""
    query = AuditQuery(kind, actor, subject, since, until)
    found, next_after = store.audit.page(query, after, limit)
    return json_response({"items": [record_dict(e) for e in found], "next_after": next_after})


@router.get("/verify", response_model=VerificationOut)
def verify(store: StoreDep, _key: Viewer) -> Response:
    """Walk the hash chain; ``first_bad`` names the first record edited, deleted or out of order."""
    return json_response(store.audit.verify().to_dict())


@router.get("/{seq}", response_model=AuditRecordOut, responses={404: {"model": ProblemOut}})
def get_record(seq: Seq, store: StoreDep, _key: Viewer) -> Response:
    """One audit record."""
    return json_response(record_dict(store.audit.get(seq)))


@router.get(
    "/{seq}/replay", response_model=ReplayOut, responses={404: {"model": ProblemOut}, 422: {"model": ProblemOut}}
)
def replay(seq: Seq, request: Request, store: StoreDep, _key: Analyst) -> Response:
    """Re-run a recorded determination under today's regulations and lists and list what changed."""
    result = replay_stored(record_dict(store.audit.get(seq)), request.app.state.regulations, store.lists.screener())
    return json_response(result.to_dict())
