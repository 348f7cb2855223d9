"""The law itself: what was in force on a date, and a regime's dated changes for one destination, with the
citations of every change (the same answers as ``clearance regs show`` and ``clearance timeline``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from clearance.api.auth import Viewer
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ErrorOut
from clearance.law import queries
from clearance.law.countries import country_name, parse_country
from clearance.law.regulations import Regulations

router = api_router(prefix="/law", tags=["law"])
Regime = Annotated[str, Path(pattern=r"^[a-z]{1,16}$", description="Regime id, e.g. jp.")]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="Only changes affecting this destination.")]
_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut}}


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


def sources(regs: Regulations, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The citation records of source ids (unknown ids are left out), in first-cited order."""
    return {sid: dataclasses.asdict(regs.citation(sid)) for sid in dict.fromkeys(ids) if sid in regs.sources}


def law_as_of(regs: Regulations, as_of: dt.date) -> dict[str, Any]:
    """The law in force on ``as_of`` with the sources it cites."""
    data = queries.show(regs, as_of)
    cited = [
        s
        for kind in ("groups", "requirements", "exemptions", "licence_types", "measures")
        for r in data[kind]
        for s in r["citations"]
    ]
    return {**data, "sources": sources(regs, cited)}


def _lane(regs: Regulations, object_id: str) -> dict[str, Any] | None:
    kind, _, name = object_id.partition(".")
    obj = regs.objects.get(kind, {}).get(name)
    if obj is None:
        return None
    versions = obj.timeline.versions
    segments = [
        {"from": v.effective, "to": versions[i + 1].effective if i + 1 < len(versions) else None}
        for i, v in enumerate(versions)
        if v.value is not None
    ]
    return {"object": object_id, "label": obj.model.label, "segments": segments}


def law_timeline(regs: Regulations, country: str | None = None) -> dict[str, Any]:
    """Dated changes oldest first (those affecting ``country``), its group over time and the lanes of the rules
    that name it; each change has an ``anchor`` for links."""
    changes = [
        {**dataclasses.asdict(change), "anchor": f"{regs.id}-{number}"}
        for number, change in enumerate(queries.timeline(regs, country), start=1)
    ]
    groups: list[dict[str, Any]] = []
    lanes: list[dict[str, Any]] = []
    if country is not None:
        moves = queries.group_history(regs, country)
        for i, move in enumerate(moves):
            group = move.object.removeprefix("destination_groups.")
            until = moves[i + 1].date if i + 1 < len(moves) else None
            groups.append({"group": group, "label": move.label, "from": move.date, "to": until})
        named = [
            c["object"] for c in changes if country in c["countries"] and not c["object"].startswith("destination")
        ]
        lanes = [lane for oid in dict.fromkeys(named) if (lane := _lane(regs, oid)) is not None]
    return {
        "regime": regs.id,
        "country": country,
        "country_name": country_name(country) if country else None,
        "coverage_from": regs.meta.coverage_from,
        "data_version": regs.data_version,
        "changes": changes,
        "groups": groups,
        "lanes": lanes,
        "sources": sources(regs, (s for c in changes for s in c["citations"])),
    }


def pack(regulations: Mapping[str, Regulations], regime: str) -> Regulations:
    """The regime's pack (:class:`~clearance.errors.UnknownRegimeError` names the known ones)."""
    return regulations[regime]


def destination(country: str | None) -> str | None:
    """A country code in upper case, or :class:`InputError` on ``country`` for anything else."""
    return None if country is None else parse_country(country, "country")


@router.get("/{regime}", response_model=LawOut, responses=_ERRORS)
def law(
    regime: Regime,
    request: Request,
    _key: Viewer,
    as_of: Annotated[dt.date, Query(description="The date the law is read at (YYYY-MM-DD).")],
) -> Response:
    """The law in force on a date: destination groups with their members and every rule in force, cited."""
    return json_response(law_as_of(pack(request.app.state.regulations, regime), as_of))


@router.get("/{regime}/timeline", response_model=TimelineOut, responses=_ERRORS)
def timeline(regime: Regime, request: Request, _key: Viewer, country: Country = None) -> Response:
    """The regime's dated changes, oldest first; with ``country``, those affecting that destination, its group
    over time and when each rule naming it was in force."""
    regs = pack(request.app.state.regulations, regime)
    return json_response(law_timeline(regs, destination(country)))
