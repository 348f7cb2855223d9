"""CLI sub-apps of the service for screening: ``clearance screen``, ``clearance lists`` and ``clearance decisions``,
thin over the store (imported list versions, the review queue and its decisions, each audited), with the same
``--database`` option (or ``CLEARANCE_DATABASE_URL``) as the other service commands.

Register with ``app.add_typer(screen_app, name="screen")``, ``app.add_typer(lists_app, name="lists")`` and
``app.add_typer(decisions_app, name="decisions")``. Each command parses, calls the library, renders.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from clearance.api.cli import Database, JsonFlag, OutputOption, ProgressFlag, ResumeFlag, _actor, _emit, _fail, _store
from clearance.batchfile import BatchOutput, open_output
from clearance.errors import ClearanceError, InputError
from clearance.render import batch_progress
from clearance.screening.importers import FORMATS, import_list
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import DEFAULT_THRESHOLD, Query, ScreenConfig
from clearance.screening.model import SCHEMAS, diff_lists
from clearance.screening.service import BatchRow, Screening, parse_countries, read_batch, row_record, screen_rows
from clearance.screening.sources import fetch, http_client, read_sources, source_of

if TYPE_CHECKING:
    from clearance.store import Screened, Store

screen_app = typer.Typer(
    add_completion=False,
    subcommand_metavar="",
    context_settings={"allow_interspersed_args": True},
)
lists_app = typer.Typer(help="Import, show and compare screening lists.", no_args_is_help=True)
decisions_app = typer.Typer(help="Record and show reviewer decisions on screening hits.", no_args_is_help=True)

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


@screen_app.callback(invoke_without_command=True)
def screen_cmd(
    name: Annotated[str | None, typer.Argument(help="Name to screen (any script).")] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="ISO 3166-1 alpha-2 country code (e.g. CN); repeatable.")
    ] = None,
    schema: Annotated[str, typer.Option("--schema", help="Person, Organization, Company … (default: unknown).")] = "",
    party_id: Annotated[
        str, typer.Option("--party-id", help="Your id for the party (decisions are kept per id).")
    ] = "",
    batch: Annotated[Path | None, typer.Option("--batch", help="CSV or JSON Lines of parties to screen.")] = None,
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

    A batch writes one JSON record per row, with its "row" and its audit record ("audit_seq",
    "audit_hash"). With -o FILE each record is in FILE before its screening commits; --resume
    keeps the records already in FILE (dropping a last one whose screening did not commit)
    and screens only the rows after them, so a batch that was interrupted is finished
    with each row screened and audited once:

        clearance screen --batch parties.csv -o results.jsonl --resume

    Progress (count, rate, time left) is shown on stderr when it is a terminal, or with --progress.
    """
    if (name is None) == (batch is None):
        _fail("give a NAME or --batch FILE (not both)")
    if (output or resume) and batch is None:
        _fail("-o/--output and --resume go with --batch")
    if resume and output is None:
        _fail("--resume: give the output file to resume with -o/--output")
    if schema and schema not in SCHEMAS:
        _fail(f"--schema: unknown schema {schema!r} (known: {', '.join(sorted(SCHEMAS))})")
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=limit)
    query: Query | None = None
    if name is not None:
        try:
            query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        except ClearanceError as exc:
            _fail(str(exc))
    with _store(database) as store:
        if query is None:
            assert batch is not None
            rows = _read_rows(batch)
            index = store.lists.index(lists or [])
            out = None if output is None else _output(store, output, rows, resume)
            _screen_batch(rows, out, progress, _row_screener(store, index, config, only_new, out))
            return
        screened = store.screening.screen(
            query, actor=_actor(), party_id=party_id or None, config=config, list_ids=lists or []
        )
        result = _tagged(screened, config, only_new)
    if as_json:
        _emit(result.to_dict())
    else:
        Console().print(_results_table(result))


def _read_rows(path: Path) -> list[BatchRow]:
    try:
        return list(read_batch(path, path.read_bytes()))
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror}")
    except ClearanceError as exc:
        _fail(str(exc))


def _output(store: Store, path: Path, rows: list[BatchRow], resume: bool) -> BatchOutput:
    """The output file; resuming, a last record whose screening did not commit is dropped (screened again)."""

    def committed(record: dict[str, Any]) -> bool:
        return "audit_seq" not in record or store.audit.confirms(record["audit_seq"], record["audit_hash"])

    try:
        return open_output(path, "row", [row.row for row in rows], resume=resume, confirm=committed)
    except ClearanceError as exc:
        _fail(str(exc))


def _row_screener(
    store: Store, index: ScreeningIndex, config: ScreenConfig, only_new: bool, out: BatchOutput | None
) -> Callable[[BatchRow], Screening]:
    """Screen a batch row as a name is screened; with an output file, the row's record is written there just
    before its screening commits."""
    actor = _actor()

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
        )
        return _tagged(screened, config, only_new)

    return screen_one


def _screen_batch(
    rows: list[BatchRow],
    out: BatchOutput | None,
    progress: bool | None,
    screen_one: Callable[[BatchRow], Screening],
) -> None:
    before = out.done if out else 0
    failed = matched = 0
    with out or nullcontext(), batch_progress("Screening", len(rows), before, progress) as advance:
        for row, record in screen_rows(rows[before:], screen_one):
            line = orjson.dumps(record)
            failed += "error" in record
            matched += bool(record.get("matched"))
            if out is None:
                sys.stdout.buffer.write(line + b"\n")
            else:
                out.write(row.row, line, error="error" in record)
            advance()
    errors = out.errors if out else failed  # resuming, the earlier run's error records count too
    sys.stderr.write(
        f"{len(rows)} rows screened ({before} by an earlier run): {matched} now with matches, {errors} with errors\n"
    )
    if errors:
        raise typer.Exit(2)


@lists_app.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(help="A list file (or an OFAC CSV folder).")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)} (default: detect).")] = "",
    list_date: Annotated[str, typer.Option("--date", help="The list's date (YYYY-MM-DD) if the file lacks one.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a list version and report what was added, removed and changed since the list's previous version.

    The import is audited, and screening uses the new version from then on."""
    try:
        when = dt.date.fromisoformat(list_date) if list_date else None
    except ValueError:
        _fail(f"--date: {list_date!r} is not a date (YYYY-MM-DD)")
    with _store(database) as store:
        version = import_list(path, fmt or None, when)
        change = store.lists.save(version, _actor()).diff
    _warn(version.warnings)
    if as_json:
        _emit({"list": version.summary(), "diff": change.to_dict()})
        return
    counts = {kind: len(getattr(change, kind)) for kind in ("added", "removed", "changed")}
    Console().print(_summary_table([version.summary()]))
    Console().print(
        f"added {counts['added']}, removed {counts['removed']}, changed {counts['changed']} "
        f"(from {change.old_version or 'nothing'})"
    )


@lists_app.command("refresh")
def lists_refresh(
    locations: Annotated[
        list[str] | None, typer.Argument(help="URLs or files to refresh from (besides those of --sources).")
    ] = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="A YAML file of sources (url or path, format, date).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="The format of the LOCATIONS (default: detect).")] = "",
    rescreen: Annotated[
        bool, typer.Option("--rescreen/--no-rescreen", help="Re-screen every party screened before if a list changed.")
    ] = True,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Fetch each list from its publisher's URL (or read its file) and import the versions that changed; then
    re-screen every party screened before and report only the hits that are new (delta re-screening).

    A list whose content is the version in use is not imported again. A sources file:

        sources:
          - url: https://example.org/consolidated.json
          - url: [https://example.org/SDN.CSV, https://example.org/ALT.CSV, https://example.org/ADD.CSV]
          - path: /srv/lists/dpl.txt
            date: 2026-07-31
    """
    try:
        wanted = [source_of(location, fmt) for location in locations or []]
        wanted += read_sources(sources) if sources else []
    except OSError as exc:
        _fail(f"--sources: cannot read {sources}: {exc.strerror}")
    except ClearanceError as exc:
        _fail(str(exc))
    if not wanted:
        _fail("give URLs or files to refresh from, or --sources FILE")
    report: list[dict[str, Any]] = []
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=10)
    with (
        _store(database) as store,
        tempfile.TemporaryDirectory(prefix="clearance-refresh-") as tmp,
        http_client() as client,
    ):
        for number, source in enumerate(wanted):
            try:
                version = import_list(fetch(source, Path(tmp) / str(number), client), source.format, source.list_date)
            except ClearanceError as exc:
                _fail(f"{source.label}: {exc}")
            imported = store.lists.save(version, _actor())
            _warn(version.warnings)
            report.append({"source": source.label, "stored": imported.stored, **imported.diff.to_dict()})
        changed = any(r["stored"] for r in report)
        screened = store.screening.rescreen(actor=_actor(), config=config) if rescreen and changed else []
        new_hits = [_tagged(s, config, only_new=True) for s in screened]
    with_new = [h for h in new_hits if h.results]
    result = {"lists": report, "rescreened": len(screened), "new_hits": [h.to_dict() for h in with_new]}
    if as_json:
        _emit(result)
        return
    table = Table(title="Lists refreshed")
    for column in ("list", "source", "status", "added", "removed", "changed"):
        table.add_column(column)
    for row in report:
        status = "imported" if row["stored"] else "unchanged"
        counts = [str(len(row[k])) for k in ("added", "removed", "changed")]
        table.add_row(row["list_id"], row["source"], status, *counts)
    Console().print(table)
    if screened:
        Console().print(f"{len(screened)} parties re-screened; {len(with_new)} with new hits")
        for screening in with_new:
            Console().print(_results_table(screening))


def _warn(warnings: Sequence[str], shown: int = 10) -> None:
    """An import's warnings on stderr (the first ``shown``; all are in the JSON summary)."""
    for warning in warnings[:shown]:
        sys.stderr.write(f"warning: {warning}\n")
    if len(warnings) > shown:
        sys.stderr.write(f"warning: … and {len(warnings) - shown} more (see --json)\n")


def _summary_table(rows: list[dict[str, Any]], last: str = "origin") -> Table:
    table = Table(title="Screening lists")
    columns = ("list_id", "list_date", "entries", "version", "source", last)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row.get(c) or "") for c in columns))
    return table


@lists_app.command("show")
def lists_show(
    list_id: Annotated[str, typer.Argument(help="Show every stored version of this list.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the lists screening uses, or every imported version of one list.

    Screening uses each list's newest imported version, else the snapshot bundled with clearance."""
    with _store(database) as store:
        versions = bool(list_id) and list_id in store.lists.imported()
        rows = store.lists.versions(list_id) if versions else store.lists.describe([list_id] if list_id else [])
    if as_json:
        _emit(rows)
    else:
        Console().print(_summary_table(rows, "imported_at" if versions else "origin"))


@lists_app.command("diff")
def lists_diff(
    list_id: Annotated[str, typer.Argument(help="The list id.")],
    old: Annotated[str, typer.Option("--from", help="Older version (hash prefix); default: the one before --to.")] = "",
    new: Annotated[str, typer.Option("--to", help="Newer version (hash prefix); default: the latest.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Entries added, removed and changed between two imported versions of a list."""
    with _store(database) as store:
        if list_id not in store.lists.imported():
            _fail(f"no imported list {list_id!r}; import it with 'clearance lists import'")
        after = store.lists.get(new) if new else store.lists.latest(list_id)
        assert after is not None
        before = store.lists.get(old) if old else store.lists.previous(list_id, after.version)
    change = diff_lists(before, after).to_dict()
    if as_json:
        _emit(change)
        return
    table = Table(title=f"{list_id}: {change['from'] or 'nothing'} → {change['to']}")
    table.add_column("change")
    table.add_column("entry")
    table.add_column("name")
    by_id = {**(before.by_id() if before else {}), **after.by_id()}
    for kind in ("added", "removed", "changed"):
        for entry in change[kind]:
            table.add_row(kind, entry, by_id[entry].caption)
    Console().print(table)


@decisions_app.command("add")
def decisions_add(
    name: Annotated[str, typer.Argument(help="The screened name, as screened.")],
    entry: Annotated[str, typer.Option("--entry", help="The hit's entry id (list_id:source_id).")],
    verdict: Annotated[str, typer.Option("--verdict", help="match or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required for a false positive).")] = "",
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decided (default: the CLI user).")] = "",
    country: Annotated[list[str] | None, typer.Option("--country", help="As screened; repeatable.")] = None,
    schema: Annotated[str, typer.Option("--schema", help="As screened.")] = "",
    party_id: Annotated[str, typer.Option("--party-id", help="As screened.")] = "",
    lists: Annotated[list[str] | None, typer.Option("--list", help="As screened; repeatable.")] = None,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a reviewer's verdict on one hit; a false positive is suppressed until the entry or the party changes.

    The party is screened first and its matches filed in the review queue; both are audited."""
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=50)
    with _store(database) as store:
        query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        try:
            decision, hit = store.screening.decide_entry(
                query,
                entry,
                verdict,
                reason,
                actor=_actor(),
                party_id=party_id or None,
                reviewer=reviewer or None,
                config=config,
                list_ids=lists or [],
            )
        except InputError as exc:
            _fail(f"--entry: {exc.message}" if exc.field == "entry" else str(exc))
    if as_json:
        _emit(decision.to_dict())
    else:
        d = decision.decision
        Console().print(f"recorded {d.verdict} for {d.party_key} × {d.entry_id} (hit {hit.id}: {hit.status})")


@decisions_app.command("list")
def decisions_list(
    party_key: Annotated[str, typer.Option("--party-key", help="Only this party's decisions.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Show every decision recorded (from the CLI, the API or the web pages), oldest first."""
    found = []
    with _store(database) as store:
        after: int | None = 0
        while after is not None:
            page, after = store.screening.decision_page(after, 500, party_key=party_key or None)
            found += page
    if as_json:
        _emit([d.to_dict() for d in found])
        return
    table = Table(title="Decisions")
    for column in ("hit", "party", "entry", "verdict", "reason", "reviewer", "decided_at"):
        table.add_column(column)
    for stored in found:
        d = stored.decision
        table.add_row(str(stored.hit_id), d.party_key, d.entry_id, d.verdict, d.reason, d.reviewer, d.decided_at)
    Console().print(table)
