"""``clearance classify``: control-list search, entries, HS codes and the product catalogue (parse, call, render)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clearance.classify import render
from clearance.classify.assess import Assessor, assessor, parse_request
from clearance.classify.assess_batch import assess_rows
from clearance.classify.certificate import Lang, certificate_html, certificate_xlsx, html_to_pdf
from clearance.classify.hs import check_hs
from clearance.classify.index import ControlIndex, build_index
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.records import enter_into_catalogue, recheck
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
from clearance.cli._common import (
    AsOf,
    Database,
    JsonFlag,
    ProgressFlag,
    as_of_date,
    console,
    current_actor,
    emit,
    fail,
    open_store,
    parse_date,
    print_table,
    read_input,
    regulations,
)
from clearance.decoding import decode_text
from clearance.errors import ClearanceError
from clearance.render import batch_progress
from clearance.tables import read_table, write_rows

if TYPE_CHECKING:
    from clearance.store import StoredClassification

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


ByOption = Annotated[
    str, typer.Option("--by", help="Who classifies or approves (recorded with your login; default: your login).")
]


def _actor(by: str) -> str:
    return f"{current_actor()} as {by}" if by else current_actor()


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
    record: Annotated[
        bool, typer.Option("--record", help="Record the assessment (a draft 該非判定 to approve) in the database.")
    ] = False,
    part_number: Annotated[str, typer.Option("--part-number", help="With --record: the product's part number.")] = "",
    by: ByOption = "",
    database: Database = None,
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """該非判定: assess a product against the parameter sheets (listed / not_listed / undecided, the tests of each
    candidate entry with their clauses, the catch-all part and the open questions). Exit 2 naming the field on bad
    input; with --batch every row is answered (problems included) and the exit status is 1 if any row has one.
    With --record the assessment is kept as a draft classification (its id is printed) for another person to
    approve (classify approve) and to print (classify certificate). A batch's progress (count, rate, time
    left) is shown on stderr when it is a terminal, or with --progress.

    Example:

        clearance classify assess product.json --json
    """
    if batch:
        _assess_batch(Path(source), regime, date, output, progress, as_json)
        return
    try:
        request = parse_request(decode_text(read_input(source), "input"))
        view = assessment_view(_assessor(request.regime).assess(request))
    except ClearanceError as exc:
        fail(str(exc))
    if record:
        part = part_number or request.product.part_number
        if not part:
            fail("--part-number: required with --record (or product.part_number)")
        with open_store(database) as store:
            stored = store.classifications.record(request.model_dump(mode="json"), view, part, _actor(by))
        view = {"id": stored.id, **view}
    if as_json:
        emit(view)
    else:
        console().print(render.assessment(view))
        if record:
            console().print(f"recorded as {view['id']} (draft: approve with classify approve {view['id']})")


@app.command("approve")
def approve_cmd(
    classification: Annotated[str, typer.Argument(help="The classification's id (from classify assess --record).")],
    catalogue: Annotated[
        Path | None, typer.Option("--catalogue", help="Enter it into this product catalogue (.csv or .xlsx).")
    ] = None,
    by: ByOption = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Approve a recorded classification (someone other than who classified it; a decided one only) and, with
    --catalogue, enter it into the product catalogue, so determine with item.product reads and cites it.

    Example:

        clearance classify approve 12 --catalogue catalogue.csv
    """
    with open_store(database) as store:
        stored = store.classifications.approve(classification, _actor(by))
    summary: dict[str, Any] = {"id": stored.id, "verdict": stored.verdict, "approved_by": stored.approved_by}
    if catalogue is not None:
        try:
            product = enter_into_catalogue(
                catalogue, stored.assessment, stored.signatures(), regulations()[stored.regime], regulations()
            )
        except ClearanceError as exc:
            fail(str(exc))
        summary["catalogue"] = {"file": str(catalogue), "product": product.model_dump(mode="json")}
    if as_json:
        emit(summary)
    else:
        console().print(f"{stored.id}: {stored.verdict}, approved by {stored.approved_by}")


@app.command("certificate")
def certificate_cmd(
    classification: Annotated[str, typer.Argument(help="The classification's id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    lang: Annotated[str, typer.Option("--lang", help="ja (該非判定書) or en.")] = "ja",
    fmt: Annotated[str, typer.Option("--format", help="html, pdf (printed by headless Chromium) or xlsx.")] = "",
    database: Database = None,
) -> None:
    """Write the classification certificate (該非判定書) of a recorded classification in Japanese or English; a draft
    says so on the certificate. The format follows --format or the file's extension.

    Example:

        clearance classify certificate 12 -o 12.pdf --lang ja
    """
    if lang not in ("ja", "en"):
        fail(f"--lang: {lang!r} is not ja or en")
    kind = fmt or output.suffix.lstrip(".").lower()
    if kind not in ("html", "pdf", "xlsx"):
        fail(f"--format: {kind!r} is not html, pdf or xlsx")
    with open_store(database) as store:
        stored = store.classifications.get(classification)
    language: Lang = "ja" if lang == "ja" else "en"
    try:
        if kind == "xlsx":
            data = certificate_xlsx(stored.assessment, stored.signatures(), language)
        else:
            html = certificate_html(stored.assessment, stored.signatures(), language)
            data = html.encode("utf-8") if kind == "html" else html_to_pdf(html)
    except ClearanceError as exc:
        fail(str(exc))
    output.write_bytes(data)
    console().print(f"{output}: certificate {stored.id} ({lang}, {kind})")


@app.command("records")
def records_cmd(
    part_number: Annotated[str, typer.Option("--part-number", help="Only this product's classifications.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List the recorded classifications, newest first, with their verdict and approval.

    Example:

        clearance classify records --json
    """
    with open_store(database) as store:
        found = store.classifications.find(part_number or None)
    rows = [
        {
            **c.signatures(),
            "verdict": c.verdict,
            "entry": c.entry,
            "catch_all": c.catch_all,
            "assessed_on": c.assessed_on.isoformat(),
        }
        for c in found
    ]
    if as_json:
        emit(rows)
    else:
        print_table(
            "Classifications",
            ["id", "part", "verdict", "entry", "catch-all", "approved by"],
            [[r["id"], r["part_number"], r["verdict"], r["entry"], r["catch_all"], r["approved_by"]] for r in rows],
        )


@app.command("recheck")
def recheck_cmd(
    as_of: AsOf = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Assess every approved classification again under the law in force on --as-of (default today) and the data
    bundled now (a new Goods Ordinance version or pack change): the products whose verdict changes, with the
    clauses that changed.

    Example:

        clearance classify recheck --as-of 2026-09-01
    """
    when = as_of_date(as_of)
    with open_store(database) as store:
        current = store.classifications.current()
    by_regime: dict[str, list[StoredClassification]] = {}
    for c in current:
        by_regime.setdefault(c.regime, []).append(c)
    changes = []
    try:
        for regime, found in by_regime.items():
            changes += recheck(((c.id, c.part_number, c.request, c.assessment) for c in found), _assessor(regime), when)
    except ClearanceError as exc:
        fail(str(exc))
    data = [dataclasses.asdict(c) for c in changes]
    if as_json:
        emit({"as_of": when.isoformat(), "checked": len(current), "changed": data})
    else:
        print_table(
            f"Classifications that change under the law of {when} ({len(current)} checked)",
            ["id", "part", "before", "after", "clauses changed"],
            [[c.id, c.part_number, c.before, c.after, "; ".join(c.clauses)] for c in changes],
        )


def _assess_batch(
    path: Path, regime: str, date: str, output: Path | None, progress: bool | None, as_json: bool
) -> None:
    worker = _assessor(regime)
    when = parse_date(date, "--date") if date else as_of_date("")
    try:
        table = read_table(path, "batch")
        rows = []
        with batch_progress("Assessing", len(table.rows), show=progress) as advance:
            for row in assess_rows(table, worker.regulations, worker.sheets, worker.ordinance, when):
                rows.append(batch_record(row))
                advance()
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
