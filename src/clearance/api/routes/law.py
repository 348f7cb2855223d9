"""The law itself: what was in force on a date, and a regime's dated changes for one destination, with the
citations of every change (the same answers as ``clearance regs show`` and ``clearance timeline``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from clearance.api.auth import Viewer
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.law import queries
from clearance.law.countries import parse_country

router = api_router(prefix="/law", tags=["law"])
Regime = Annotated[str, Path(pattern=r"^[a-z]{1,16}$", description="Regime id, e.g. jp.")]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="Only changes affecting this destination.")]
_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ProblemOut}}


class LawOut(BaseModel):
    """The law in force on ``as_of``: destination groups with members, each kind of rule, and the sources cited."""

    regime: str
    as_of: dt.date
    data_version: str
    groups: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    exemptions: list[dict[str, Any]]
    licence_types: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]


class TimelineOut(BaseModel):
    """A regime's dated changes (for one destination), the destination's group over time, the lanes of the rules
    naming it (in force from, to), and the sources cited."""

    regime: str
    country: str | None
    country_name: str | None
    coverage_from: dt.date
    data_version: str
    changes: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    lanes: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]


@router.get("/{regime}", response_model=LawOut, responses=_ERRORS)
def law(
    regime: Regime,
    request: Request,
    _key: Viewer,
    as_of: Annotated[dt.date, Query(description="The date the law is read at (YYYY-MM-DD).")],
) -> Response:
    """The law in force on a date: destination groups with their members and every rule in force, cited."""
    return json_response(queries.law_as_of(request.app.state.regulations[regime], as_of))


@router.get("/{regime}/timeline", response_model=TimelineOut, responses=_ERRORS)
def timeline(regime: Regime, request: Request, _key: Viewer, country: Country = None) -> Response:
    """The regime's dated changes, oldest first; with ``country``, those affecting that destination, its group
    over time and when each rule naming it was in force."""
    regs = request.app.state.regulations[regime]
    return json_response(queries.law_timeline(regs, None if country is None else parse_country(country, "country")))
