"""``clearance lists``: import, show and compare versions of the screening lists."""

from __future__ import annotations

import sys
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
from clearance.screening.importers import FORMATS, import_list
from clearance.screening.model import diff_lists

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
