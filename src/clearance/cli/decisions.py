"""``clearance decisions``: reviewers' verdicts on screening hits (recorded, audited, applied to later screenings)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.cli._common import Database, JsonFlag, current_actor, emit, fail, open_store
from clearance.cli.screen import ThresholdOption
from clearance.errors import InputError
from clearance.screening.matcher import DEFAULT_THRESHOLD, Query, ScreenConfig
from clearance.screening.service import parse_countries

app = typer.Typer(help="Record and show reviewer decisions on screening hits.", no_args_is_help=True)


@app.command("add")
def add(
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

    The party is screened first and its matches filed in the review queue; both are audited.

    Example:

        clearance decisions add "Acme Trading" --entry us-csl:123 --verdict false_positive --reason "other firm"
    """
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=50)
    with open_store(database) as store:
        query = Query.of(name, parse_countries(country or [], "--country"), schema or "LegalEntity")
        try:
            decision, hit = store.screening.decide_entry(
                query,
                entry,
                verdict,
                reason,
                actor=current_actor(),
                party_id=party_id or None,
                reviewer=reviewer or None,
                config=config,
                list_ids=lists or [],
            )
        except InputError as exc:
            fail(f"--entry: {exc.message}" if exc.field == "entry" else str(exc))
    if as_json:
        emit(decision.to_dict())
    else:
        d = decision.decision
        Console().print(f"recorded {d.verdict} for {d.party_key} × {d.entry_id} (hit {hit.id}: {hit.status})")


@app.command("list")
def list_decisions(
    party_key: Annotated[str, typer.Option("--party-key", help="Only this party's decisions.")] = "",
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Show every decision recorded (from the CLI, the API or the web pages), oldest first.

    Example:

        clearance decisions list --json
    """
    found = []
    with open_store(database) as store:
        after: int | None = 0
        while after is not None:
            page, after = store.screening.decision_page(after, 500, party_key=party_key or None)
            found += page
    if as_json:
        emit([d.to_dict() for d in found])
        return
    table = Table(title="Decisions")
    for column in ("hit", "party", "entry", "verdict", "reason", "reviewer", "decided_at"):
        table.add_column(column)
    for stored in found:
        d = stored.decision
        table.add_row(str(stored.hit_id), d.party_key, d.entry_id, d.verdict, d.reason, d.reviewer, d.decided_at)
    Console().print(table)
