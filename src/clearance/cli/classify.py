"""``clearance classify``: control-list search, entries, HS codes and the product catalogue (parse, call, render)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from clearance.classify import render
from clearance.classify.assess import Assessor, assessor, parse_request
from clearance.classify.assess_batch import assess_rows
from clearance.classify.hs import check_hs
from clearance.classify.index import ControlIndex, build_index
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.tabular import read_catalogue, write_catalogue
from clearance.classify.views import (
    BATCH_COLUMNS,
    assessment_view,
    batch_record,
    clause_view,
    entry_view,
    flat_record,
    hs_view,
    product_view,
    search_view,
)
from clearance.cli._common import AsOf, JsonFlag, as_of_date, console, emit, fail, parse_date, read_input, regulations
from clearance.decoding import decode_text
from clearance.errors import ClearanceError
from clearance.tables import write_rows

app = typer.Typer(
    help="Find control-list entries across Japanese, Korean, Wassenaar-style and US numbering; keep a catalogue.",
    no_args_is_help=True,
)
catalogue_app = typer.Typer(
    help="Check, import, export and show the product catalogue (CSV or XLSX).", no_args_is_help=True
)
app.add_typer(catalogue_app, name="catalogue")


def _index(as_of: str) -> ControlIndex:
    try:
        return build_index(regulations(), as_of_date(as_of))
    except ClearanceError as exc:
        fail(str(exc))


@app.command("search")
def search_cmd(
    query: Annotated[
        str, typer.Argument(help="Words (English, Japanese or Korean), a code, a CAS number or jp:7(19).")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many hits.")] = 10,
    system: Annotated[list[str] | None, typer.Option("--system", help="Only wa, us or a pack id (repeatable).")] = None,
    as_of: AsOf = "",
    as_json: JsonFlag = False,
) -> None:
    """Search the control lists: exact code / CAS / reference first, then full text ranked by bm25.

    Example:

        clearance classify search "euv photoresist" --as-of 2026-08-01
    """
    view = search_view(_index(as_of).search(query, limit=limit, systems=system or None))
    if as_json:
        emit(view)
    else:
        console().print(render.search(view))


@app.command("show")
def show_cmd(
    ref: Annotated[
        str,
        typer.Argument(
            help="A code (3C002.a.2), a pack entry (jp:7(19), jp 5) or a Goods Ordinance clause (Art. 6(1)(xix))."
        ),
    ],
    as_of: AsOf = "",
    as_json: JsonFlag = False,
) -> None:
    """Show an entry's text, the Goods Ordinance clauses that specify it and its equivalents in the other
    numbering systems, with citations; or one clause of the Goods Ordinance with the clauses under it.

    Example:

        clearance classify show 3C002.a.2
    """
    clause = ref.strip().lower().startswith(("art", "jp:art", "appended"))
    try:
        if clause:
            view = clause_view(GoodsOrdinance(), ref, as_of_date(as_of))
        else:
            view = entry_view(_index(as_of), ref, GoodsOrdinance())
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(view)
    else:
        console().print(render.clause(view) if clause else render.entry(view))


@app.command("hs")
def hs_cmd(
    hs_code: Annotated[str, typer.Argument(help="An HS code, e.g. 8479.89.")],
    regime: Annotated[list[str] | None, typer.Option("--regime", help="Pack id (repeatable); default all.")] = None,
    as_of: AsOf = "",
    as_json: JsonFlag = False,
) -> None:
    """Is this HS code inside a pack's catch-all chapters? With hints (labelled) of entries often found there.

    Example:

        clearance classify hs 8479.89 --regime jp
    """
    regs = regulations()
    when = as_of_date(as_of)
    try:
        views = [hs_view(check_hs(regs[r], hs_code, when)) for r in (regime or list(regs))]
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(views)
    else:
        console().print(render.hs(views))


def _read_clean(path: Path) -> Any:
    """A catalogue that must read without problems (each problem on stderr, exit 2 otherwise)."""
    try:
        result = read_catalogue(path, regulations())
    except ClearanceError as exc:
        fail(str(exc))
    if result.problems:
        for problem in result.problems:
            sys.stderr.write(f"error: {problem}\n")
        raise typer.Exit(2)
    return result.catalogue


@catalogue_app.command("check")
def catalogue_check(
    file: Annotated[Path, typer.Argument(help="Catalogue file (.csv or .xlsx).")],
    as_json: JsonFlag = False,
) -> None:
    """Read a catalogue and report every malformed row with its row number (exit 1 if any).

    Example:

        clearance classify catalogue check examples/catalogue.csv
    """
    try:
        result = read_catalogue(file, regulations())
    except ClearanceError as exc:
        fail(str(exc))
    summary = {
        "file": str(file),
        "rows": result.rows,
        "products": len(result.catalogue),
        "problems": [p.record() for p in result.problems],
    }
    if as_json:
        emit(summary)
    else:
        out = console()
        out.print(f"{file}: {result.rows} rows, {len(result.catalogue)} products, {len(result.problems)} problems")
        if result.problems:
            out.print(render.problems(result.problems, "Malformed rows (header is row 1)"))
    if result.problems:
        raise typer.Exit(1)


@catalogue_app.command("import")
def catalogue_import(
    source: Annotated[Path, typer.Argument(help="File to import (.csv or .xlsx).")],
    catalogue: Annotated[Path, typer.Argument(help="Catalogue to add to (created if missing; .csv or .xlsx).")],
    as_json: JsonFlag = False,
) -> None:
    """Add or replace products from SOURCE in CATALOGUE; nothing is written if any row is malformed.

    Example:

        clearance classify catalogue import new-parts.xlsx catalogue.csv
    """
    incoming = _read_clean(source)
    existing = _read_clean(catalogue) if catalogue.exists() else None
    merged, added, updated = existing.merged(incoming) if existing is not None else (incoming, list(incoming), [])
    try:
        write_catalogue(merged, catalogue)
    except ClearanceError as exc:
        fail(str(exc))
    summary = {"catalogue": str(catalogue), "products": len(merged), "added": added, "updated": updated}
    if as_json:
        emit(summary)
    else:
        console().print(f"{catalogue}: {len(merged)} products ({len(added)} added, {len(updated)} updated)")


@catalogue_app.command("export")
def catalogue_export(
    catalogue: Annotated[Path, typer.Argument(help="Catalogue to export (.csv or .xlsx).")],
    target: Annotated[Path, typer.Argument(help="File to write (.csv or .xlsx; replaced if it exists).")],
    as_json: JsonFlag = False,
) -> None:
    """Write the catalogue to TARGET in the format its extension names.

    Example:

        clearance classify catalogue export catalogue.csv catalogue.xlsx
    """
    products = _read_clean(catalogue)
    try:
        write_catalogue(products, target)
    except ClearanceError as exc:
        fail(str(exc))
    summary = {"catalogue": str(catalogue), "written": str(target), "products": len(products)}
    if as_json:
        emit(summary)
    else:
        console().print(f"{target}: {len(products)} products written")


@catalogue_app.command("show")
def catalogue_show(
    catalogue: Annotated[Path, typer.Argument(help="Catalogue file (.csv or .xlsx).")],
    part_number: Annotated[str, typer.Argument(help="Part number.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one product and its classification per regime.

    Example:

        clearance classify catalogue show examples/catalogue.csv SMC-HF-AH01
    """
    product = _read_clean(catalogue).get(part_number)
    if product is None:
        fail(f"part_number: unknown product {part_number!r} (not in {catalogue.name})")
    view = product_view(product)
    if as_json:
        emit(view)
    else:
        console().print(render.product(view))


def _assessor(regime: str) -> Assessor:
    try:
        return assessor(regulations(), regime)
    except ClearanceError as exc:
        fail(str(exc))


@app.command("assess")
def assess_cmd(
    source: Annotated[
        str,
        typer.Argument(help="A product as JSON ({regime, date, product}; - for stdin); with --batch a catalogue."),
    ],
    batch: Annotated[
        bool, typer.Option("--batch", help="SOURCE is a catalogue (.csv, .xlsx or .jsonl), a product a row.")
    ] = False,
    regime: Annotated[str, typer.Option("--regime", help="With --batch: the pack whose sheets apply.")] = "jp",
    date: Annotated[
        str, typer.Option("--date", help="With --batch: the law in force on this date; default today.")
    ] = "",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="With --batch: also write the rows (.csv, .xlsx, .jsonl).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """該非判定: assess a product against the parameter sheets (listed / not_listed / undecided, the tests of each
    candidate entry with their clauses, the catch-all part and the open questions). Exit 2 naming the field on bad
    input; with --batch every row is answered (problems included) and the exit status is 1 if any row has one.

    Example:

        clearance classify assess product.json --json
    """
    if batch:
        _assess_batch(Path(source), regime, date, output, as_json)
        return
    try:
        request = parse_request(decode_text(read_input(source), "input"))
        view = assessment_view(_assessor(request.regime).assess(request))
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(view)
    else:
        console().print(render.assessment(view))


def _assess_batch(path: Path, regime: str, date: str, output: Path | None, as_json: bool) -> None:
    worker = _assessor(regime)
    when = parse_date(date, "--date") if date else as_of_date("")
    try:
        rows = [batch_record(r) for r in assess_rows(path, worker.regulations, worker.sheets, worker.ordinance, when)]
        if output is not None:
            write_rows(output, BATCH_COLUMNS, [flat_record(r) for r in rows])
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(rows)
    else:
        console().print(render.assessment_rows(rows))
    if any("assessment" not in r for r in rows):
        raise typer.Exit(1)
