"""``clearance regs``: the law of a regime in force on a date, and what changed between two dates."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance import render
from clearance.cli._common import AsOf, JsonFlag, as_of_date, emit, pack, parse_date
from clearance.law import queries

app = typer.Typer(help="Inspect the regulation packs.", no_args_is_help=True)


@app.command("show")
def show(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp.")],
    as_of: AsOf = "",
    as_json: JsonFlag = False,
) -> None:
    """Show the destination groups and the rules in force on a date.

    Example:

        clearance regs show jp --as-of 2019-08-28
    """
    regs = pack(regime)
    data = queries.law_as_of(regs, as_of_date(as_of))
    if as_json:
        emit(data)
    else:
        render.console().print(render.law_snapshot(data))


@app.command("diff")
def diff(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp.")],
    start: Annotated[str, typer.Option("--from", help="Earlier date (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Later date (YYYY-MM-DD).")],
    as_json: JsonFlag = False,
) -> None:
    """Show what changed between two dates, with citations.

    Example:

        clearance regs diff jp --from 2019-08-27 --to 2019-08-28
    """
    regs = pack(regime)
    data = queries.diff(regs, parse_date(start, "--from"), parse_date(end, "--to"))
    if as_json:
        emit(data)
    else:
        render.console().print(render.changes(data["changes"], f"{regime}: {start} → {end}"))
        render.console().print(render.group_moves(data["group_moves"]))
