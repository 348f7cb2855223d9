"""``clearance lists``: import, show and compare versions of the screening lists."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from clearance.cli._common import (
    Database,
    JsonFlag,
    current_actor,
    emit,
    fail,
    open_store,
    optional_date,
    regulations,
)
from clearance.cli.orders import recheck_summary
from clearance.cli.screen import ThresholdOption, _results_table, _tagged
from clearance.errors import ClearanceError
from clearance.screening.importers import FORMATS, import_list
from clearance.screening.matcher import DEFAULT_THRESHOLD, ScreenConfig
from clearance.screening.model import diff_lists
from clearance.screening.sources import fetch, http_client, read_sources, source_of

app = typer.Typer(help="Import, show and compare screening lists.", no_args_is_help=True)


@app.command("import")
def import_version(
    path: Annotated[Path, typer.Argument(help="A list file (or an OFAC CSV folder).")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)} (default: detect).")] = "",
    list_date: Annotated[str, typer.Option("--date", help="The list's date (YYYY-MM-DD) if the file lacks one.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a list version and report what was added, removed and changed since the list's previous version.

    The import is audited, and screening uses the new version from then on: every open order is checked
    again (as clearance orders recheck does), and a summary goes to stderr.

    Example:

        clearance lists import sdn.xml
    """
    when = optional_date(list_date, "--date")
    with open_store(database) as store:
        version = import_list(path, fmt or None, when)
        imported = store.lists.save(version, current_actor())
        change = imported.diff
        if imported.stored:
            recheck_summary(store.orders.recheck(regulations(), actor=current_actor()))
    _warn(version.warnings)
    if as_json:
        emit({"list": version.summary(), "diff": change.to_dict()})
        return
    counts = {kind: len(getattr(change, kind)) for kind in ("added", "removed", "changed")}
    Console().print(_summary_table([version.summary()]))
    Console().print(
        f"added {counts['added']}, removed {counts['removed']}, changed {counts['changed']} "
        f"(from {change.old_version or 'nothing'})"
    )


@app.command("refresh")
def refresh(
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
    """Fetch each list from its publisher's URL (or read its file) and import the versions that changed; then check
    every open order again and re-screen every party screened before, reporting only the hits that are new (delta
    re-screening).

    A list whose content is the version in use is not imported again. A sources file:

        sources:
          - url: https://example.org/consolidated.json
          - url: [https://example.org/SDN.CSV, https://example.org/ALT.CSV, https://example.org/ADD.CSV]
          - path: /srv/lists/dpl.txt
            date: 2026-07-31

    Example:

        clearance lists refresh --sources lists.yaml
    """
    try:
        wanted = [source_of(location, fmt) for location in locations or []]
        wanted += read_sources(sources) if sources else []
    except OSError as exc:
        fail(f"--sources: cannot read {sources}: {exc.strerror}")
    except ClearanceError as exc:
        fail(str(exc))
    if not wanted:
        fail("give URLs or files to refresh from, or --sources FILE")
    report: list[dict[str, Any]] = []
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=10)
    with (
        open_store(database) as store,
        tempfile.TemporaryDirectory(prefix="clearance-refresh-") as tmp,
        http_client() as client,
    ):
        for number, source in enumerate(wanted):
            try:
                version = import_list(fetch(source, Path(tmp) / str(number), client), source.format, source.list_date)
            except ClearanceError as exc:
                fail(f"{source.label}: {exc}")
            imported = store.lists.save(version, current_actor())
            _warn(version.warnings)
            report.append({"source": source.label, "stored": imported.stored, **imported.diff.to_dict()})
        changed = any(r["stored"] for r in report)
        if changed:  # as after an import: every open order is checked again
            recheck_summary(store.orders.recheck(regulations(), actor=current_actor()))
        screened = store.screening.rescreen(actor=current_actor(), config=config) if rescreen and changed else []
        new_hits = [_tagged(s, config, only_new=True) for s in screened]
    with_new = [h for h in new_hits if h.results]
    result = {"lists": report, "rescreened": len(screened), "new_hits": [h.to_dict() for h in with_new]}
    if as_json:
        emit(result)
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


@app.command("show")
def show(
    list_id: Annotated[str, typer.Argument(help="Show every stored version of this list.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the lists screening uses, or every imported version of one list.

    Screening uses each list's newest imported version, else the snapshot bundled with clearance.

    Example:

        clearance lists show us-csl
    """
    with open_store(database) as store:
        versions = bool(list_id) and list_id in store.lists.imported()
        rows = store.lists.versions(list_id) if versions else store.lists.describe([list_id] if list_id else [])
    if as_json:
        emit(rows)
    else:
        Console().print(_summary_table(rows, "imported_at" if versions else "origin"))


@app.command("diff")
def diff(
    list_id: Annotated[str, typer.Argument(help="The list id.")],
    old: Annotated[str, typer.Option("--from", help="Older version (hash prefix); default: the one before --to.")] = "",
    new: Annotated[str, typer.Option("--to", help="Newer version (hash prefix); default: the latest.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Entries added, removed and changed between two imported versions of a list.

    Example:

        clearance lists diff us-csl
    """
    with open_store(database) as store:
        if list_id not in store.lists.imported():
            fail(f"no imported list {list_id!r}; import it with 'clearance lists import'")
        after = store.lists.get(new) if new else store.lists.latest(list_id)
        assert after is not None
        before = store.lists.get(old) if old else store.lists.previous(list_id, after.version)
    change = diff_lists(before, after).to_dict()
    if as_json:
        emit(change)
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
