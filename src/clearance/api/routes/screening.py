"""Restricted-party screening, yente-shaped: ``POST /match`` over the lists in use (the newest imported version
of each list, else the bundled snapshot), each call recorded in the audit trail with the list versions."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from clearance.api.auth import Analyst, StoreDep
from clearance.api.params import Cutoff, Results, Threshold
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ErrorOut
from clearance.screening import ScreenConfig, match

router = api_router(tags=["screening"])


class MatchIn(BaseModel):
    """yente's ``/match`` body: query entities by the caller's keys, e.g.
    ``{"queries": {"q1": {"schema": "Company", "properties": {"name": ["…"], "country": ["hk"]}}}}``."""

    model_config = ConfigDict(extra="forbid")

    queries: dict[str, dict[str, Any]] = Field(min_length=1, max_length=100)


class MatchOut(BaseModel):
    """yente's ``/match`` answer: ``responses`` by query key (each with scored ``results``), the algorithm and
    list versions; ``id`` is the audit record."""

    id: int
    responses: dict[str, Any]
    limit: int
    algorithm: dict[str, Any]
    lists: dict[str, Any]


@router.post("/match", response_model=MatchOut, responses={422: {"model": ErrorOut}})
def match_route(
    body: MatchIn,
    store: StoreDep,
    key: Analyst,
    threshold: Threshold = 0.8,
    cutoff: Cutoff = 0.5,
    limit: Results = 10,
) -> Response:
    """Screen parties against the restricted-party lists; every result explains its score feature by feature."""
    index = store.lists.index()
    answer = match(index, body.model_dump(), ScreenConfig(threshold=threshold, cutoff=cutoff, limit=limit))
    with store.db.write() as session:
        entry = store.audit.append(
            session,
            kind="screening",
            actor=key.actor,
            inputs={**body.model_dump(), "threshold": threshold, "cutoff": cutoff, "limit": limit},
            outputs=answer,
            list_versions=dict(index.versions),
        )
    return json_response({"id": entry.seq, **answer})
