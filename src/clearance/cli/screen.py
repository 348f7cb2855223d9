"""``clearance screen``: screen a name, or a batch of parties, against the restricted-party lists in use; matches
are filed in the review queue and each screening is audited."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from clearance.batchfile import BatchOutput, LineNumbers, open_output
from clearance.cli._common import (
    Database,
    JsonFlag,
    OutputOption,
    ProgressFlag,
    ResumeFlag,
    batch_source,
    current_actor,
    emit,
    fail,
    open_store,
)
from clearance.errors import ClearanceError
from clearance.problems import BatchError
from clearance.render import batch_progress
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import DEFAULT_THRESHOLD, Query, ScreenConfig
from clearance.screening.model import SCHEMAS
from clearance.screening.service import (
    BatchRow,
    PartyBatch,
    Screening,
    parse_countries,
    row_record,
    screen_rows,
    text_lines,
)
from clearance.screening.shared import SharedScreening

if TYPE_CHECKING:
    from clearance.store import Screened, Store

app = typer.Typer(
    add_completion=False,
    subcommand_metavar="",
    context_settings={"allow_interspersed_args": True},
)

ListOption = Annotated[list[str] | None, typer.Option("--list", help="Screen against this list id; repeatable.")]
ThresholdOption = Annotated[float, typer.Option("--threshold", help="Score at or above which a hit is a match.")]


def _results_table(result: Screening) -> Table:
    table = Table(title=f"Screening {', '.join(result.query.names)!s}", show_lines=False)
    for column in ("score", "match", "status", "list", "entry", "name", "why"):
        table.add_column(column)
    for hit, _ in result.results:
        c = hit.candidate
        status = (
            hit.status + (" (stale decision)" if hit.stale_decision else "") + (f", {hit.change}" if hit.change else "")
        )
        table.add_row(
            f"{c.score:.2f}",
            "yes" if c.match else "no",
            status,
            c.party.list_id,
            c.party.source_id,
            c.party.caption,
            c.summary,
        )
    return table


def _tagged(screened: Screened, config: ScreenConfig, only_new: bool) -> Screening:
    """A party's screening as reported: every hit tagged against the party's earlier hits, or (``only_new``)
    only what is new."""
    return Screening.of(
        screened.party_key,
        screened.query,
        screened.results,
        screened.previous,
        only_new=only_new,
        threshold=config.threshold,
        lists=screened.versions,
        audit=(screened.seq, screened.hash),
    )


@app.callback(invoke_without_command=True)
def screen(
    name: Annotated[str | None, typer.Argument(help="Name to screen (any script).")] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="ISO 3166-1 alpha-2 country code (e.g. CN); repeatable.")
    ] = None,
    schema: Annotated[str, typer.Option("--schema", help="Person, Organization, Company … (default: unknown).")] = "",
    party_id: Annotated[
        str, typer.Option("--party-id", help="Your id for the party (decisions are kept per id).")
    ] = "",
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="CSV, XLSX, Parquet or JSON Lines of parties (-: JSON Lines on stdin)."),
    ] = None,
    output: OutputOption = None,
    resume: ResumeFlag = False,
    progress: ProgressFlag = None,
    only_new: Annotated[bool, typer.Option("--delta", help="Report only hits new since the last screening.")] = False,
    lists: ListOption = None,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates per party.")] = 10,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Screen a name (or a batch file) against the newest imported version of each list, else the bundled one.

    Matches are filed in the review queue and the decisions on file applied; each screening is audited.

        clearance screen "Beihang University" --country CN

    A batch writes one JSON record per row, with its "position" (row or line number) and its
    audit record ("audit_seq", "audit_hash"), or an error record ("position", "field", "value",
    "message"). With -o FILE each record is in FILE before its screening commits; --resume
    keeps the records already in FILE (dropping a last one whose screening did not commit)
    and screens only the rows after them, so a batch that was interrupted is finished
    with each row screened and audited once:

        clearance screen --batch parties.csv -o results.jsonl --resume

    A batch is read as it is screened, in memory that does not grow with it: JSON Lines (also
    from stdin, --batch -), CSV in UTF-8 or UTF-16, and Parquet; XLSX, and CSV in Shift_JIS,
    EUC-JP or EUC-KR, are read whole first.

    A row that is no party (a blank row or line, a totals row, a title above the header) is
    skipped, never dropped: stderr names each with why, and the summary counts them.

    Progress (count, rate, time left) is shown on stderr when it is a terminal, or with --progress.
    """
    if (name is None) == (batch is None):
        fail("give a NAME or --batch FILE (not both)")
    if (output or resume) and batch is None:
        fail("-o/--output and --resume go with --batch")
    if resume and output is None:
        fail("--resume: give the output file to resume with -o/--output")
    if schema and schema not in SCHEMAS:
        fail(f"--schema: unknown schema {schema!r} (known: {', '.join(sorted(SCHEMAS))})")
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=limit)
    query: Query | None = None
    if name is not None:
        try:
            query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        except ClearanceError as exc:
            fail(str(exc))
    with open_store(database) as store:
        if query is None:
            assert batch is not None
            parties, positions = _party_batch(batch, resume)
            index = store.lists.index(lists or [])
            out = None if output is None else _output(store, output, positions or (), resume)
            total = None if positions is None else len(positions)
            _screen_batch(parties, total, out, progress, _row_screener(store, index, config, only_new, out))
            return
        screened = store.screening.screen(
            query, actor=current_actor(), party_id=party_id or None, config=config, list_ids=lists or []
        )
        result = _tagged(screened, config, only_new)
    if as_json:
        emit(result.to_dict())
    else:
        Console().print(_results_table(result))


def _party_batch(path: Path, resume: bool) -> tuple[PartyBatch, Sequence[int] | None]:
    """The batch and its positions, from a first pass over the file (of stdin, JSON Lines, unknown unless resuming:
    stdin is then copied to a temporary file first)."""
    try:
        if str(path) == "-":
            lines, positions = batch_source("-", resume=resume, count=lambda lines: LineNumbers(text_lines(lines, "-")))
            return PartyBatch(path, lines), positions
        parties = PartyBatch(path)
        return parties, parties.positions()
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")
    except ClearanceError as exc:
        fail(str(exc))


def _output(store: Store, path: Path, positions: Sequence[int], resume: bool) -> BatchOutput:
    """The output file; resuming, a last record whose screening did not commit is dropped (screened again)."""

    def committed(record: dict[str, Any]) -> bool:
        return "audit_seq" not in record or store.audit.confirms(record["audit_seq"], record["audit_hash"])

    try:
        return open_output(path, "position", positions, resume=resume, confirm=committed)
    except ClearanceError as exc:
        fail(str(exc))


def _row_screener(
    store: Store, index: ScreeningIndex, config: ScreenConfig, only_new: bool, out: BatchOutput | None
) -> Callable[[BatchRow], Screening]:
    """Screen a batch row as a name is screened (results shared between spellings of one party); with an output
    file, the row's record is written there just before its screening commits."""
    actor = current_actor()
    shared = SharedScreening()

    def screen_one(row: BatchRow) -> Screening:
        assert row.query is not None

        def stage(screened: Screened) -> None:
            assert out is not None
            out.stage(orjson.dumps(row_record(row, _tagged(screened, config, only_new))))

        screened = store.screening.screen(
            row.query,
            actor=actor,
            party_id=row.party_id,
            config=config,
            index=index,
            before_commit=None if out is None else stage,
            shared=shared,
        )
        return _tagged(screened, config, only_new)

    return screen_one


def _screen_batch(
    parties: PartyBatch,
    total: int | None,
    out: BatchOutput | None,
    progress: bool | None,
    screen_one: Callable[[BatchRow], Screening],
) -> None:
    before = out.done if out else 0
    screened = failed = matched = 0
    try:
        with out or nullcontext(), batch_progress("Screening", total, before, progress) as advance:
            for row, result in screen_rows(islice(parties.rows(), before, None), screen_one):
                record = row_record(row, result)
                line = orjson.dumps(record, default=str)
                error = isinstance(result, BatchError)
                screened += 1
                failed += error
                matched += bool(record.get("matched"))
                if out is None:
                    sys.stdout.buffer.write(line + b"\n")
                else:
                    out.write(row.row, line, error=error)
                advance()
    except ClearanceError as exc:  # stdin turned out not to be UTF-8 (a file is checked before screening)
        fail(str(exc))
    errors = out.errors if out else failed  # resuming, the earlier run's error records count too
    sys.stderr.write("".join(f"{note}\n" for note in parties.notes()))
    sys.stderr.write(
        f"{before + screened} rows screened ({before} by an earlier run): "
        f"{matched} now with matches, {errors} with errors, {len(parties.skipped())} rows skipped\n"
    )
    if errors:
        raise typer.Exit(2)
