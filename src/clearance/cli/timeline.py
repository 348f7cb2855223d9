"""``clearance timeline``: the dated changes of a regime, or of two regimes affecting each other."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance import render
from clearance.cli._common import JsonFlag, emit, fail, pack
from clearance.errors import ClearanceError
from clearance.law import queries
from clearance.law.countries import parse_country


def timeline(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp (omit with --between).")] = "",
    country: Annotated[str, typer.Option("--country", help="Only changes affecting this destination.")] = "",
    between: Annotated[
        tuple[str, str],
        typer.Option("--between", help="Two regimes, e.g. --between jp kr: each one's changes affecting the other."),
    ] = ("", ""),
    as_json: JsonFlag = False,
) -> None:
    """Dated changes of a regime (affecting one destination with --country), oldest first.

    With --json, the answer of the API's GET /law/{regime}/timeline: the changes, the destination's group over
    time, the lanes of the rules naming it and the sources cited.

        clearance timeline jp --country KR --json
    """
    if any(between):
        first, second = (pack(r) for r in between)
        data = queries.between(first, second)
        title = f"{first.id} ↔ {second.id}: changes affecting each other"
        if as_json:
            emit({"between": list(between), "changes": data})
        else:
            render.console().print(render.changes(data, title, with_regime=True))
        return
    if not regime:
        fail("REGIME: give a regime id (e.g. jp) or --between A B")
    regs = pack(regime)
    try:
        code = parse_country(country, "--country") if country else None
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(queries.law_timeline(regs, code))
    else:
        data = queries.timeline(regs, code)
        render.console().print(render.changes(data, f"{regime} timeline" + (f" for {code}" if code else "")))
