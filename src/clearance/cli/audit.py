"""``clearance audit``: list, show, verify and replay the hash-chained audit trail."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

from clearance.audit.replay import replay_stored
from clearance.cli._common import Database, JsonFlag, emit, open_store, print_table, regulations

app = typer.Typer(help="The hash-chained audit trail: list, show, verify, replay.", no_args_is_help=True)


@app.command("verify")
def verify(database: Database = None, as_json: JsonFlag = False) -> None:
    """Check every stored record against the hash chain; exit 1 and name the first record edited, deleted, out of
    order or inserted outside the audit log.

    Example:

        clearance audit verify --json
    """
    with open_store(database) as store:
        result = store.audit.verify()
    if as_json:
        emit(result.to_dict())
    elif result.finding is None:
        print(f"ok: {result.checked} records, head {result.head.seq} {result.head.hash}")
    else:
        print(f"BROKEN at record {result.finding.seq} ({result.finding.problem}): {result.finding.message}")
    if not result.ok:
        raise typer.Exit(1)


@app.command("replay")
def replay(
    seq: Annotated[int, typer.Argument(metavar="ID", help="The audit record's sequence number.")],
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Re-run a recorded determination under today's regulations and show what changed (exit 1 if anything).

    Example:

        clearance audit replay 42
    """
    from clearance.store import record_dict

    with open_store(database) as store:
        result = replay_stored(record_dict(store.audit.get(seq)), regulations(), store.lists.screener())
    if as_json:
        emit(result.to_dict())
    else:
        print(f"record {seq}: data {result.data_version_then} then, {result.data_version_now} now")
        if result.same:
            print("same answer today")
        else:
            print_table(
                "changed",
                ["field", "then", "now"],
                [[d.path, orjson.dumps(d.then).decode(), orjson.dumps(d.now).decode()] for d in result.differences],
            )
    if not result.same:
        raise typer.Exit(1)


@app.command("list")
def list_records(
    kind: Annotated[str | None, typer.Option(help="Only records of this kind, e.g. determination.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only records about this subject (e.g. a shipment ref).")] = None,
    after: Annotated[int, typer.Option(help="Start after this sequence number.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List audit records, oldest first.

    Example:

        clearance audit list --kind determination --limit 20
    """
    from clearance.store import Query, record_dict

    with open_store(database) as store:
        entries, _ = store.audit.page(Query(kind=kind, subject=subject), after, limit)
    if as_json:
        emit([record_dict(e) for e in entries])
    else:
        print_table(
            "audit records",
            ["seq", "at", "kind", "actor", "subject", "hash"],
            [[e.seq, e.at, e.kind, e.actor, e.subject, e.hash[:16]] for e in entries],
        )


@app.command("show")
def show(seq: Annotated[int, typer.Argument(metavar="ID")], database: Database = None) -> None:
    """Print one audit record as JSON.

    Example:

        clearance audit show 42
    """
    from clearance.store import record_dict

    with open_store(database) as store:
        emit(record_dict(store.audit.get(seq)))
