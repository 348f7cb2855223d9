"""Restricted-party screening, yente-shaped: ``POST /match`` over the lists in use (the newest imported version
of each list, else the bundled snapshot), each call recorded in the audit trail with the list versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path as FastPath
from fastapi import Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from clearance.api.auth import Analyst, StoreDep
from clearance.api.params import ScreenOptions
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.errors import InputError
from clearance.screening import ALGORITHM, ScreenConfig, match
from clearance.store import Store

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


Algorithm = Annotated[
    str,
    Query(description=f"The matching algorithm (yente's `algorithm`); this server has `{ALGORITHM}`."),
]
Dataset = Annotated[
    str,
    FastPath(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="yente's scope: `default` for every list in use, or one list's id (e.g. `jp-meti-eul`).",
    ),
]


@router.post("/match", response_model=MatchOut)
def match_all(
    body: MatchIn, store: StoreDep, key: Analyst, options: ScreenOptions, algorithm: Algorithm = ALGORITHM
) -> Response:
    """Screen parties against every restricted-party list in use (``POST /match/default``); every result explains
    its score feature by feature."""
    return _match(store, key.actor, body, "default", options, algorithm)


@router.post("/match/{dataset}", response_model=MatchOut, responses={404: {"model": ProblemOut}})
def match_dataset(
    dataset: Dataset,
    body: MatchIn,
    store: StoreDep,
    key: Analyst,
    options: ScreenOptions,
    algorithm: Algorithm = ALGORITHM,
) -> Response:
    """Screen parties against the lists of ``dataset`` (yente's scope: ``default`` for all lists in use, or one
    list id; an unknown one is a 404); every result explains its score feature by feature."""
    return _match(store, key.actor, body, dataset, options, algorithm)


def _match(store: Store, actor: str, body: MatchIn, dataset: str, options: ScreenConfig, algorithm: str) -> Response:
    if algorithm != ALGORITHM:
        raise InputError("algorithm", f"unknown algorithm {algorithm!r} (this server has {ALGORITHM!r})")
    index = store.lists.index([] if dataset == "default" else [dataset])  # an unknown list: UnknownListError
    answer = match(index, body.model_dump(), options)
    used = {"threshold": options.threshold, "cutoff": options.cutoff, "limit": options.limit}
    with store.db.write() as session:
        entry = store.audit.append(
            session,
            kind="screening",
            actor=actor,
            inputs={**body.model_dump(), "dataset": dataset, **used},
            outputs=answer,
            list_versions=dict(index.versions),
        )
    return json_response({"id": entry.seq, **answer})
