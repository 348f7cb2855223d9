"""The screening review queue: screen a party and file its hits, read the queue, decide on a hit (officer), and
the good-guy list. Every screening and decision is recorded in the audit trail with the list versions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from clearance.api.auth import Analyst, Officer, StoreDep, Viewer
from clearance.api.params import MAX_INT, TEXT, After, Limit, ScreenOptions
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.screening.parties import DecisionIn, PartyIn

router = api_router(prefix="/screening", tags=["screening review"])
HitId = Annotated[int, Path(ge=1, le=MAX_INT)]
Status = Literal["open", "suppressed", "confirmed"]
_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ProblemOut}, 422: {"model": ProblemOut}}


class HitOut(BaseModel):
    """A hit in the queue: the party as screened, the list entry (an FtM entity with ``score``, ``explanation``
    and the per-feature ``breakdown``), its status and the decision in force."""

    id: int
    party_key: str
    party: dict[str, Any]
    subject: str | None
    entry_id: str
    entry_name: str
    list_id: str
    list_version: str
    list_date: str | None
    score: float
    entry: dict[str, Any]
    status: Status
    stale_decision: bool
    decision: dict[str, Any] | None
    first_seen_at: str
    last_seen_at: str
    screened_by: str
    audit_seq: int


class HitDetailOut(HitOut):
    """A hit with every decision taken on it, oldest first."""

    decisions: list[dict[str, Any]]


class HitPage(BaseModel):
    """A page of hits, oldest first."""

    items: list[HitOut]
    next_after: int | None


class ScreenedOut(BaseModel):
    """A screening: ``id`` is its audit record; each result is a reviewed candidate (``status``, ``decision``),
    with the ``hit_id`` under which a match was filed in the queue (null for a near miss)."""

    id: int
    party_key: str
    party: dict[str, Any]
    subject: str | None
    matched: bool
    results: list[dict[str, Any]]
    algorithm: str
    threshold: float
    lists: dict[str, Any]


class DecidedOut(BaseModel):
    """The decision recorded and the hit reviewed again."""

    decision: dict[str, Any]
    hit: HitOut


@router.post("/parties", response_model=ScreenedOut, responses={422: {"model": ProblemOut}})
def screen_party(
    body: PartyIn,
    store: StoreDep,
    key: Analyst,
    options: ScreenOptions,
) -> Response:
    """Screen a party and file its matches in the review queue; each result is reviewed against the decisions
    on file (a cleared false positive comes back ``suppressed``) and explains its score feature by feature."""
    return json_response(store.screening.screen_party(body, key.actor, options).to_dict())


@router.get("/hits", response_model=HitPage)
def list_hits(
    store: StoreDep,
    _key: Viewer,
    after: After = 0,
    limit: Limit = 50,
    status: Status | None = None,
    list_id: Annotated[str | None, Query(max_length=64, pattern=TEXT)] = None,
    party_key: Annotated[str | None, Query(max_length=256, pattern=TEXT)] = None,
) -> Response:
    """The review queue: hits oldest first, by status (``open``: to review), list or party."""
    found, next_after = store.screening.page(after, limit, status=status, list_id=list_id, party_key=party_key)
    return json_response({"items": [h.to_dict() for h in found], "next_after": next_after})


@router.get("/hits/{hit_id}", response_model=HitDetailOut, responses=_ERRORS)
def get_hit(hit_id: HitId, store: StoreDep, _key: Viewer) -> Response:
    """A hit: the party and the list entry side by side, the score breakdown and every decision on it."""
    return json_response(store.screening.detail(hit_id))


@router.post("/hits/{hit_id}/decisions", response_model=DecidedOut, status_code=201, responses=_ERRORS)
def decide(hit_id: HitId, body: DecisionIn, store: StoreDep, key: Officer) -> Response:
    """Clear (``false_positive``) or confirm (``match``) a hit, with a reason; recorded in the audit trail."""
    decision, hit = store.screening.decide(hit_id, body.verdict, body.reason, key.actor)
    return json_response({"decision": decision.to_dict(), "hit": hit.to_dict()}, 201)


@router.get("/good-guys", response_model=HitPage)
def good_guys(store: StoreDep, _key: Viewer, after: After = 0, limit: Limit = 50) -> Response:
    """The good-guy list: hits cleared as false positives and still suppressed (party and entry unchanged)."""
    found, next_after = store.screening.page(after, limit, status="suppressed")
    return json_response({"items": [h.to_dict() for h in found], "next_after": next_after})
