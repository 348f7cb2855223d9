"""``clearance impact``: what a change of the law does to a portfolio (thin: parse, call, render)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from clearance.cli._common import JsonFlag, ProgressFlag, console, emit, fail, optional_date, regulations
from clearance.errors import ClearanceError
from clearance.impact import report as reports
from clearance.impact.analysis import ImpactReport, Summary, Total
from clearance.impact.portfolio import read_portfolio
from clearance.impact.runs import ImpactRequest, run
from clearance.law.scenario import read_scenario
from clearance.problems import first_problem
from clearance.render import batch_progress
from clearance.tables import write_rows

#: The options an impact run shares with ``clearance spark impact``: which law versions it compares.
RegimeOption = Annotated[str, typer.Option("--regime", help="Regime id, e.g. jp.")]
BeforeOption = Annotated[str, typer.Option("--before", help="Date of the law before the change.")]
AfterOption = Annotated[str, typer.Option("--after", help="Date of the law after the change.")]
ScenarioOption = Annotated[str, typer.Option("--scenario", help="A scenario YAML laid over the law known --before.")]
KnownOnOption = Annotated[str, typer.Option("--known-on", help="Warn about changes decided but not in force then.")]
ActingOnOption = Annotated[str, typer.Option("--acting-on", help="Day deadlines are counted from (default: --before).")]


def impact(
    portfolio: Annotated[Path, typer.Option("--portfolio", help="Folder with catalogue, customers and orders.")],
    regime: RegimeOption = "jp",
    before: BeforeOption = "",
    after: AfterOption = "",
    scenario: ScenarioOption = "",
    known_on: KnownOnOption = "",
    acting_on: ActingOnOption = "",
    output: Annotated[
        str, typer.Option("--output", "-o", help="Write every line to CSV, XLSX, JSON Lines or Parquet.")
    ] = "",
    html: Annotated[str, typer.Option("--html", help="Write an HTML report with charts.")] = "",
    bom: Annotated[
        bool, typer.Option("--bom/--no-bom", help="CSV output with a byte-order mark, so Excel reads it right.")
    ] = True,
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Determine every portfolio line under two versions of the law and report what changed.

    Progress (count, rate, time left) is shown on stderr when it is a terminal, or with --progress.

    Example:

        clearance impact --portfolio examples/portfolio --before 2019-08-27 --after 2019-08-28
    """
    try:
        request = impact_request(regime, before, after, known_on, acting_on)
        book = read_portfolio(portfolio, regulations())
        for note in book.notes:
            sys.stderr.write(f"note: {note}\n")
        laid = read_scenario(Path(scenario)) if scenario else None
        with batch_progress("Assessing", len(book.orders), show=progress) as advance:
            result = run(book, request, laid, advance)
    except ValidationError as exc:
        fail(str(first_problem(exc).error()))
    except ClearanceError as exc:
        fail(str(exc))
    if output:
        write_rows(Path(output), reports.COLUMNS, reports.rows(result), sheet="impact", bom=bom)
    if html:
        Path(html).write_text(reports.html(result), encoding="utf-8")
    if as_json:
        emit(reports.model(result))
    else:
        _print(result)
    if result.summary.failed:
        raise typer.Exit(1)


def impact_request(regime: str, before: str, after: str, known_on: str, acting_on: str) -> ImpactRequest:
    """The two law versions an impact run compares, from the command's options (a bad date names its option)."""
    return ImpactRequest(
        regime=regime,
        before=optional_date(before, "--before"),
        after=optional_date(after, "--after"),
        known_on=optional_date(known_on, "--known-on"),
        acting_on=optional_date(acting_on, "--acting-on"),
    )


def print_headline(regime: str, before: str, after: str, s: Summary) -> None:
    """The run's one-line summary: what was compared and how many rows were read, answered and late."""
    console().print(
        f"[bold]{regime}[/]: {before} → {after}: {s.read} rows read, {s.answered} answered "
        f"({s.affected} affected, {s.unaffected} unaffected, {s.undecided} undecided), {s.failed} failed; "
        f"{s.late} late"
    )


def print_by_destination(by_destination: dict[str, Total]) -> None:
    """The totals by destination as a table."""
    totals = Table("destination", "lines", "affected", "undecided", "errors", "affected value", title="By destination")
    for key, total in by_destination.items():
        value = ", ".join(f"{v:,} {c}" for c, v in total.affected_value.items())
        totals.add_row(key, str(total.lines), str(total.affected), str(total.undecided), str(total.errors), value)
    console().print(totals)


def _print(result: ImpactReport) -> None:
    out = console()
    print_headline(result.regime, result.before, result.after, result.summary)
    table = Table("order", "product", "dest", "ship", "before", "after", "changes", "apply by", title="Affected lines")
    for line in result.affected:
        assert line.before is not None and line.after is not None
        table.add_row(
            line.order_id,
            line.part_number,
            line.destination or "",
            str(line.ship_date),
            " ".join(line.before.options) or "no licence",
            " ".join(line.after.options) or "no licence",
            "; ".join(f"{c.kind}: {c.detail}" for c in line.changes),
            (str(line.apply_by) + (" LATE" if line.late else "")) if line.apply_by else "",
        )
    out.print(table)
    undecided = result.with_status("undecided")
    if undecided:
        table = Table("order", "product", "dest", "ship", "before", "after", "changes", title="Undecided lines")
        for line in undecided:
            table.add_row(
                line.order_id,
                line.part_number,
                line.destination or "",
                str(line.ship_date),
                reports.licence(line.before),
                reports.licence(line.after),
                "; ".join(f"{c.kind}: {c.detail}" for c in line.changes),
            )
        out.print(table)
    print_by_destination(result.by_destination)
    for line in result.with_status("error"):
        value = reports.error_value(line)
        message = f"{line.problem}" + (f" (value {value!r})" if value else "")
        out.print(message, style="red", markup=False, highlight=False)
