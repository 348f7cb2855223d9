"""The ``clearance`` command line: thin commands over the library (parse, call one function, render)."""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer

from clearance import render
from clearance.api.cli import SUBAPPS, OutputOption, ProgressFlag, ResumeFlag, serve
from clearance.api.screening_cli import decisions_app, lists_app, screen_app
from clearance.batchfile import open_output
from clearance.cellvalues import read_date
from clearance.checks import SCREENER, check, read_shipment
from clearance.classify.catalogue import Catalogue
from clearance.classify.cli import classify_app
from clearance.classify.tabular import load_catalogue
from clearance.engine.io import LineError, Reader, batch_lines, determine_lines, line_json, to_json
from clearance.errors import ClearanceError, InputError
from clearance.impact.cli import impact_cmd
from clearance.law import load_regulations, queries
from clearance.law.countries import parse_country

app = typer.Typer(
    help="clearance: export-control determinations from effective-dated, cited law-as-data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
regs_app = typer.Typer(help="Inspect the regulation packs.", no_args_is_help=True)
app.add_typer(regs_app, name="regs")
app.add_typer(classify_app, name="classify")
app.add_typer(screen_app, name="screen")
app.add_typer(lists_app, name="lists")
app.add_typer(decisions_app, name="decisions")
app.command("serve")(serve)
for _name, _sub in SUBAPPS.items():
    app.add_typer(_sub, name=_name)
app.command("impact")(impact_cmd)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

#: End users are screened against the bundled restricted-party lists the law in force refers to.
_screener = SCREENER


def _fail(message: str) -> NoReturn:
    """Exit with status 2 and one line on stderr; nothing on stdout."""
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def _date(value: str, field: str) -> dt.date:
    try:
        return read_date(value)
    except ValueError:
        _fail(f"{field}: {value!r} is not a date (e.g. 2019-07-15, 2019/7/15, 令和元年7月15日)")


def _emit_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2) + b"\n")


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        _fail(f"FILE: cannot read {source!r}: {exc.strerror}")


@app.command("determine")
def determine_cmd(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="A shipment as JSON, or - for stdin.")] = "-",
    batch: Annotated[bool, typer.Option("--batch", help="Read JSON Lines, one shipment per line.")] = False,
    catalogue_path: Annotated[
        str, typer.Option("--catalogue", help='Product catalogue (CSV/XLSX) for items given as {"product": PART}.')
    ] = "",
    output: OutputOption = None,
    resume: ResumeFlag = False,
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Decide whether a shipment needs a licence, which licences can authorise it and how long review takes.

    The answer is required, not needed, or undecided (licence_required null in --json, with the open questions
    and the facts each needs); undecided exits 0 like any answer. Bad input exits 2.

        clearance determine --json shipment.json

    A batch (--batch) writes one JSON record per shipment line, with its input "line"
    (an error record for a bad line). With -o FILE the records go to FILE as each is answered;
    --resume keeps the records already in FILE and answers only the lines after them,
    so a batch that was interrupted is finished, each line answered once:

        clearance determine --batch orders.jsonl -o answers.jsonl --resume

    Progress (count, rate, time left) is shown on stderr when it is a terminal, or with --progress.
    """
    if (output or resume) and not batch:
        _fail("-o/--output and --resume go with --batch")
    if resume and output is None:
        _fail("--resume: give the output file to resume with -o/--output")
    data = _read(source)
    try:
        regulations = load_regulations()
        catalogue = load_catalogue(Path(catalogue_path), regulations) if catalogue_path else None
    except ClearanceError as exc:
        _fail(str(exc))
    if batch:
        _batch(data.splitlines(), regulations, catalogue, as_json, output, resume, progress)
        return
    try:
        result = check(read_shipment(data, catalogue), regulations, _screener)
    except ClearanceError as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.buffer.write(to_json(result, indent=True) + b"\n")
    else:
        render.console().print(render.determination(result))


def _batch(
    lines: list[bytes],
    regulations: Any,
    catalogue: Catalogue | None,
    as_json: bool,
    output: Path | None,
    resume: bool,
    progress: bool | None,
) -> None:
    numbers = batch_lines(lines)
    read = partial(read_shipment, catalogue=catalogue)  # each line decoded on its own (a BOM concerns one line)
    if output is not None:
        _batch_to_file(lines, numbers, output, resume, progress, regulations, read)
        return
    failed = False
    rows: list[tuple[int, Any]] = []
    with render.batch_progress("Determining", len(numbers), show=progress) as advance:
        for number, result in determine_lines(lines, regulations, read, _screener):
            failed |= isinstance(result, LineError)
            if as_json:
                sys.stdout.buffer.write(line_json(number, result) + b"\n")
            elif isinstance(result, LineError):
                rows.append((number, f"{result.field}: {result.message}" if result.field else result.message))
            else:
                rows.append((number, result))
            advance()
    if not as_json:
        render.console().print(render.batch_table(rows))
    if failed:
        raise typer.Exit(2)


def _batch_to_file(
    lines: list[bytes],
    numbers: list[int],
    output: Path,
    resume: bool,
    progress: bool | None,
    regulations: Any,
    read: Reader,
) -> None:
    try:
        out = open_output(output, "line", numbers, resume=resume)
    except ClearanceError as exc:
        _fail(str(exc))
    before = out.done
    with out, render.batch_progress("Determining", len(numbers), before, progress) as advance:
        for number, result in determine_lines(lines, regulations, read, _screener, after=out.last_line):
            out.write(number, line_json(number, result), error=isinstance(result, LineError))
            advance()
    sys.stderr.write(f"{output}: {out.done} lines answered ({before} by an earlier run), {out.errors} with errors\n")
    if out.errors:
        raise typer.Exit(2)


def _pack(regime: str) -> Any:
    try:
        return load_regulations()[regime]
    except InputError as exc:
        _fail(str(exc))


@regs_app.command("show")
def regs_show(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp.")],
    as_of: Annotated[str, typer.Option("--as-of", help="Date (YYYY-MM-DD); default today.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Show the destination groups and the rules in force on a date."""
    regs = _pack(regime)
    when = _date(as_of, "--as-of") if as_of else dt.date.today()
    data = queries.show(regs, when)
    if as_json:
        _emit_json(data)
    else:
        render.console().print(render.law_snapshot(data))


@regs_app.command("diff")
def regs_diff(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp.")],
    start: Annotated[str, typer.Option("--from", help="Earlier date (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Later date (YYYY-MM-DD).")],
    as_json: JsonFlag = False,
) -> None:
    """Show what changed between two dates, with citations."""
    regs = _pack(regime)
    data = queries.diff(regs, _date(start, "--from"), _date(end, "--to"))
    if as_json:
        _emit_json(data)
    else:
        render.console().print(render.changes(data["changes"], f"{regime}: {start} → {end}"))
        render.console().print(render.group_moves(data["group_moves"]))


@app.command("timeline")
def timeline_cmd(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. jp (omit with --between).")] = "",
    country: Annotated[str, typer.Option("--country", help="Only changes affecting this destination.")] = "",
    between: Annotated[
        tuple[str, str],
        typer.Option("--between", help="Two regimes, e.g. --between jp kr: each one's changes affecting the other."),
    ] = ("", ""),
    as_json: JsonFlag = False,
) -> None:
    """Dated changes of a regime (affecting one destination with --country), oldest first."""
    if any(between):
        first, second = (_pack(r) for r in between)
        data = queries.between(first, second)
        title = f"{first.id} ↔ {second.id}: changes affecting each other"
        if as_json:
            _emit_json({"between": list(between), "changes": data})
        else:
            render.console().print(render.changes(data, title, with_regime=True))
        return
    if not regime:
        _fail("REGIME: give a regime id (e.g. jp) or --between A B")
    regs = _pack(regime)
    try:
        code = parse_country(country, "--country") if country else None
    except ClearanceError as exc:
        _fail(str(exc))
    data = queries.timeline(regs, code)
    if as_json:
        _emit_json({"regime": regime, "country": code, "changes": data})
    else:
        render.console().print(render.changes(data, f"{regime} timeline" + (f" for {code}" if code else "")))


if __name__ == "__main__":
    app()
