"""Command line for screening: ``clearance screen``, ``clearance lists`` and ``clearance decisions``.

Register with ``app.add_typer(screen_app, name="screen")``, ``app.add_typer(lists_app, name="lists")`` and
``app.add_typer(decisions_app, name="decisions")``. Each command parses, calls the library, renders.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from clearance.errors import ClearanceError
from clearance.screening.decisions import decide, party_key
from clearance.screening.importers import FORMATS, import_list
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import DEFAULT_THRESHOLD, Query, ScreenConfig, screen
from clearance.screening.model import SCHEMAS, diff_lists
from clearance.screening.service import (
    Screening,
    index_for,
    load_lists,
    parse_countries,
    read_batch,
    screen_party,
    screen_rows,
)
from clearance.screening.store import ScreeningStore

DEFAULT_DB = Path(".clearance") / "screening.sqlite"

screen_app = typer.Typer(
    help="Screen parties against restricted-party lists.",
    add_completion=False,
    subcommand_metavar="",
    context_settings={"allow_interspersed_args": True},
)
lists_app = typer.Typer(help="Import, show and compare screening lists.", no_args_is_help=True)
decisions_app = typer.Typer(help="Record and show reviewer decisions on screening hits.", no_args_is_help=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Screening store (SQLite); default $CLEARANCE_SCREENING_DB or .clearance/screening.sqlite."
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _db_path(db: Path | None) -> Path:
    return db or Path(os.environ.get("CLEARANCE_SCREENING_DB") or DEFAULT_DB)


def _store(db: Path | None, create: bool = True) -> ScreeningStore | None:
    path = _db_path(db)
    if not create and not path.exists():
        return None
    try:
        return ScreeningStore(path)
    except ClearanceError as exc:
        _fail(str(exc))


def _emit(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def _cache_dir() -> Path:
    """Where built indexes are cached: $XDG_CACHE_HOME/clearance (or ~/.cache/clearance)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clearance"


def _index(store: ScreeningStore | None, lists: list[str]) -> ScreeningIndex:
    try:
        versions = load_lists(store, lists)
    except ClearanceError as exc:
        _fail(str(exc))
    return index_for(versions, _cache_dir())


def _results_table(result: Screening) -> Table:
    table = Table(title=f"Screening {', '.join(result.query.names)!s}", show_lines=False)
    for column in ("score", "match", "status", "list", "entry", "name", "why"):
        table.add_column(column)
    for hit in result.hits:
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


@screen_app.callback(invoke_without_command=True)
def screen_cmd(
    name: Annotated[str | None, typer.Argument(help="Name to screen (any script).")] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Country code or name (CN, China, 中国); repeatable.")
    ] = None,
    schema: Annotated[str, typer.Option("--schema", help="Person, Organization, Company … (default: unknown).")] = "",
    party_id: Annotated[
        str, typer.Option("--party-id", help="Your id for the party (decisions are kept per id).")
    ] = "",
    batch: Annotated[Path | None, typer.Option("--batch", help="CSV or JSON Lines of parties to screen.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write batch results (JSONL) here.")] = None,
    only_new: Annotated[bool, typer.Option("--delta", help="Report only hits new since the last screening.")] = False,
    lists: Annotated[list[str] | None, typer.Option("--list", help="Screen against this list id; repeatable.")] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="Score at or above which a hit is a match.")] = (
        DEFAULT_THRESHOLD
    ),
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates per party.")] = 10,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Screen a name (or a batch file) against the imported lists, or the bundled ones when none is imported."""
    if (name is None) == (batch is None):
        _fail("give a NAME or --batch FILE (not both)")
    if schema and schema not in SCHEMAS:
        _fail(f"--schema: unknown schema {schema!r} (known: {', '.join(sorted(SCHEMAS))})")
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=limit)
    store = _store(db, create=batch is not None or only_new or bool(party_id))
    index = _index(store, lists or [])
    if batch is not None:
        _screen_batch(batch, output, index, config, store, only_new)
        return
    assert name is not None
    try:
        query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        result = screen_party(index, query, config, store, party_id or None, only_new, _now() if store else None)
    except ClearanceError as exc:
        _fail(str(exc))
    if as_json:
        _emit(result.to_dict(index, config))
    else:
        Console().print(_results_table(result))


def _screen_batch(
    path: Path, output: Path | None, index: ScreeningIndex, config: ScreenConfig, store: Any, only_new: bool
) -> None:
    try:
        rows = list(read_batch(path, path.read_bytes()))
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror}")
    except ClearanceError as exc:
        _fail(str(exc))
    out = output.open("wb") if output else sys.stdout.buffer
    failed = matched = 0
    try:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Screening", total=len(rows))
            for _, record in screen_rows(rows, index, config, store, only_new, _now):
                failed += "error" in record
                matched += bool(record.get("matched"))
                out.write(orjson.dumps(record) + b"\n")
                progress.advance(task)
    finally:
        if output:
            out.close()
    sys.stderr.write(f"{len(rows)} rows screened: {matched} with matches, {failed} with errors\n")
    if failed:
        raise typer.Exit(2)


@lists_app.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(help="A list file (or an OFAC CSV folder).")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)} (default: detect).")] = "",
    list_date: Annotated[str, typer.Option("--date", help="The list's date (YYYY-MM-DD) if the file lacks one.")] = "",
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a list version into the store and report what was added, removed and changed."""
    try:
        when = dt.date.fromisoformat(list_date) if list_date else None
    except ValueError:
        _fail(f"--date: {list_date!r} is not a date (YYYY-MM-DD)")
    store = _store(db)
    assert store is not None
    try:
        version = import_list(path, fmt or None, when)
        change = store.save_list(version, _now())
    except ClearanceError as exc:
        _fail(str(exc))
    data = {"list": version.summary(), "diff": _diff_counts(change.to_dict())}
    if as_json:
        _emit({"list": version.summary(), "diff": change.to_dict()})
    else:
        Console().print(_summary_table([data["list"]]))
        Console().print(
            f"added {data['diff']['added']}, removed {data['diff']['removed']}, "
            f"changed {data['diff']['changed']} (from {change.old_version or 'nothing'})"
        )


def _diff_counts(diff: dict[str, Any]) -> dict[str, Any]:
    return {k: len(v) if isinstance(v, list) else v for k, v in diff.items()}


def _summary_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Screening lists")
    for column in ("list_id", "list_date", "entries", "version", "source"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row.get(c) or "") for c in ("list_id", "list_date", "entries", "version", "source")))
    return table


@lists_app.command("show")
def lists_show(
    list_id: Annotated[str, typer.Argument(help="Show every stored version of this list.")] = "",
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the lists screening uses (imported, else bundled), or the stored versions of one list."""
    store = _store(db, create=False)
    if list_id and store is not None and list_id in store.list_ids():
        rows = store.versions(list_id)
    else:
        try:
            rows = [v.summary() for v in load_lists(store, [list_id] if list_id else [])]
        except ClearanceError as exc:
            _fail(str(exc))
    if as_json:
        _emit(rows)
    else:
        Console().print(_summary_table(rows))


@lists_app.command("diff")
def lists_diff(
    list_id: Annotated[str, typer.Argument(help="The list id.")],
    old: Annotated[str, typer.Option("--from", help="Older version (hash prefix); default: the one before --to.")] = "",
    new: Annotated[str, typer.Option("--to", help="Newer version (hash prefix); default: the latest.")] = "",
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Entries added, removed and changed between two stored versions of a list."""
    store = _store(db, create=False)
    if store is None or list_id not in store.list_ids():
        _fail(f"no imported list {list_id!r}; import it with 'clearance lists import'")
    try:
        after = store.get(new) if new else store.latest(list_id)
        assert after is not None
        before = store.get(old) if old else store.previous(list_id, after.version)
    except ClearanceError as exc:
        _fail(str(exc))
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
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decided.")] = "",
    country: Annotated[list[str] | None, typer.Option("--country", help="As screened; repeatable.")] = None,
    schema: Annotated[str, typer.Option("--schema", help="As screened.")] = "",
    party_id: Annotated[str, typer.Option("--party-id", help="As screened.")] = "",
    lists: Annotated[list[str] | None, typer.Option("--list", help="As screened; repeatable.")] = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a reviewer's verdict on one hit; a false positive is suppressed until the entry or the party changes."""
    store = _store(db)
    assert store is not None
    index = _index(store, lists or [])
    try:
        query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        candidates = screen(index, query, ScreenConfig(cutoff=0.0, limit=50))
        hit = next((c for c in candidates if c.party.id == entry), None)
        if hit is None:
            _fail(f"--entry: {entry!r} is not among the hits for {name!r}")
        decision = decide(hit, query, party_key(query, party_id or None), verdict, reason, reviewer, _now())
    except ClearanceError as exc:
        _fail(str(exc))
    store.add_decision(decision)
    if as_json:
        _emit(decision.to_dict())
    else:
        Console().print(f"recorded {decision.verdict} for {decision.party_key} × {decision.entry_id}")


@decisions_app.command("list")
def decisions_list(
    party_id: Annotated[str, typer.Option("--party-key", help="Only this party's decisions.")] = "",
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show recorded decisions."""
    store = _store(db, create=False)
    decisions = store.decisions(party_id or None) if store else []
    if as_json:
        _emit([d.to_dict() for d in decisions])
        return
    table = Table(title="Decisions")
    for column in ("party", "entry", "verdict", "reason", "reviewer", "decided_at"):
        table.add_column(column)
    for d in decisions:
        table.add_row(d.party_key, d.entry_id, d.verdict, d.reason, d.reviewer, d.decided_at)
    Console().print(table)
