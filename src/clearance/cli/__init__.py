"""The ``clearance`` command line: thin commands over the library (parse, call one function, render).

One module per command group; what they share (failing, JSON output, the common options, the store) is in
:mod:`clearance.cli._common`.
"""

from __future__ import annotations

from typing import Annotated

import typer

import clearance
from clearance.cli import (
    audit,
    classify,
    db,
    decisions,
    determine,
    history,
    impact,
    keys,
    licences,
    lists,
    orders,
    regs,
    screen,
    serve,
    spark,
    timeline,
)
from clearance.cli._help import hide_flag_types

hide_flag_types()
app = typer.Typer(
    help="clearance: export-control determinations from effective-dated, cited law-as-data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(shown: bool) -> None:
    if shown:
        print(f"clearance {clearance.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """clearance: export-control determinations from effective-dated, cited law-as-data."""


app.command("determine")(determine.determine)
app.command("timeline")(timeline.timeline)
app.command("impact")(impact.impact)
app.command("serve")(serve.serve)
app.add_typer(regs.app, name="regs")
app.add_typer(classify.app, name="classify")
app.add_typer(screen.app, name="screen")
app.add_typer(lists.app, name="lists")
app.add_typer(decisions.app, name="decisions")
app.add_typer(db.app, name="db")
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(licences.app, name="licences")
app.add_typer(orders.app, name="orders")
app.add_typer(history.app, name="history")
app.add_typer(spark.app, name="spark")

__all__ = ["app"]
