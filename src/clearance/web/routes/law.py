"""The regulations: a regime's changes for one destination as a picture and a cited list (with the other side of
the story when the destination has a regime of its own), and the law in force on any date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from clearance.law.countries import parse_country
from clearance.law.queries import law_as_of, law_timeline
from clearance.web import data
from clearance.web.pages import PREFIX, SignedIn, render
from clearance.web.timeline import layout

router = APIRouter(prefix=PREFIX)
Regime = Annotated[str, Query(pattern=r"^[a-z]{1,16}$")]
Country = Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$")]
Year = Annotated[int | None, Query(ge=1900, le=2200)]


def _regimes(request: Request) -> list[tuple[str, Any]]:
    return [(rid, regs.meta) for rid, regs in request.app.state.regulations.items()]


@router.get("/timeline")
def timeline(
    request: Request,
    user: SignedIn,
    regime: Regime = "jp",
    country: Country = "KR",
    both: bool = True,
    start: Annotated[Year, Query(alias="from")] = None,
    end: Annotated[Year, Query(alias="to")] = None,
) -> Response:
    """``GET /law/{regime}/timeline?country=…`` as a picture and a list; with ``both``, and a destination that has
    a regime of its own, that regime's changes affecting the first regime's country beside it."""
    regulations = request.app.state.regulations
    regs = regulations[regime]
    code = parse_country(country, "country") if country else None
    models = [law_timeline(regs, code)]
    other = next((r for r in regulations.values() if code and r.meta.country == code and r.id != regime), None)
    if both and other is not None:
        models.append(law_timeline(other, regs.meta.country))
    return render(
        request,
        "timeline.html",
        page="law",
        models=models,
        picture=layout(models, start, end, request.app.state.regulations),
        regime=regime,
        country=code or "",
        both=both,
        other=other.id if other else None,
        regimes=_regimes(request),
        countries=data.countries(),
    )


@router.get("/law")
def law(
    request: Request,
    user: SignedIn,
    regime: Regime = "jp",
    as_of: dt.date | None = None,
    country: Country = "",
) -> Response:
    """``GET /law/{regime}?as_of=…``: destination groups and every rule in force on a date, with citations."""
    regs = request.app.state.regulations[regime]
    when = as_of or request.app.state.store.db.clock().date()
    code = parse_country(country, "country") if country else None
    return render(
        request,
        "law.html",
        page="law",
        law=law_as_of(regs, when),
        regime=regime,
        country=code or "",
        group_of=regs.at(when).group_of(code) if code else None,
        regimes=_regimes(request),
        countries=data.countries(),
    )
