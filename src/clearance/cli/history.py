"""``clearance history``: the retrospective audit of shipped lines (what lacked a licence on the day it left)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from clearance.cli._common import CatalogueOption, Database, JsonFlag, fail, open_store, print_table, regulations
from clearance.cli.orders import LinesArgument, PolicyOption, RegimeOption, policy_at, read_lines
from clearance.errors import ClearanceError
from clearance.law import RegulationSet
from clearance.problems import BatchError

if TYPE_CHECKING:
    from clearance.licences import Licence

app = typer.Typer(help="The retrospective audit of what was shipped.", no_args_is_help=True)


@app.command("check")
def check(
    source: LinesArgument = "-",
    regime: RegimeOption = "jp",
    licences: Annotated[
        Path | None,
        typer.Option("--licences", help="Licence terms as JSON Lines instead of the register (licences add format)."),
    ] = None,
    html_path: Annotated[Path | None, typer.Option("--html", help="Write the report as HTML here.")] = None,
    xlsx_path: Annotated[Path | None, typer.Option("--xlsx", help="Write the report as XLSX here.")] = None,
    catalogue: CatalogueOption = "",
    policy: PolicyOption = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Of what was shipped, what lacked the licence the law of its date required?

    Each line (its date the ship date) is checked against the law in force that day as it was known then
    (flagged where today's packs answer otherwise), the licences as they stood (valid that day, covering item,
    destination and counterparty, within what earlier lines had drawn) and the screening lists in use. One
    finding per line: ok, unlicensed, exceeded, undecided or blocked_party; then the summary line.

        clearance history check examples/portfolio --licences examples/licences.jsonl --html audit.html

    --json prints one JSON object per line (an error record for an unreadable line); --html and --xlsx write
    the report with charts by month and by rule. Unreadable lines exit 2, the others are still audited.
    """
    from clearance.orders.history import audit_history
    from clearance.orders.report import html, xlsx

    law = regulations()
    reads = read_lines(source, regime, catalogue)
    held = _licences(licences, law) if licences else None
    with open_store(database) as store:
        if held is None:
            held = store.licences.all()
        audit = audit_history(
            reads,
            law,
            index=store.lists.index(),
            screener=store.lists.screener(),
            licences=held,
            policy=policy_at(policy),
            decisions=store.screening.decisions_for,
        )
    if as_json:
        for finding in audit.findings:
            sys.stdout.buffer.write(orjson.dumps(finding.to_dict()) + b"\n")
        for position, error in audit.errors:
            sys.stdout.buffer.write(orjson.dumps(BatchError.of(position, error).to_dict()) + b"\n")
    else:
        rows = [[f.position, f.ref, f.date, f.finding, f.licence, f.message] for f in audit.findings]
        rows += [[p, "", "", "error", "", str(e)] for p, e in audit.errors]
        print_table("Shipped lines", ["line", "ref", "ship date", "finding", "licence", "why"], rows)
    if html_path is not None:
        html_path.write_text(html(audit), encoding="utf-8")
    if xlsx_path is not None:
        xlsx(audit, xlsx_path)
    sys.stderr.write(audit.summary() + "\n")
    if audit.errors:
        raise typer.Exit(2)


def _licences(path: Path, law: RegulationSet) -> list[Licence]:
    """Licences from a JSON Lines file of terms, numbered from 1 in file order."""
    from pydantic import ValidationError

    from clearance.licences import Licence, LicenceTerms, check_terms
    from clearance.problems import first_problem

    out: list[Licence] = []
    for number, text in enumerate(path.read_bytes().splitlines(), start=1):
        if not text.strip():
            continue
        try:
            terms = check_terms(LicenceTerms.model_validate_json(text), law)
        except ValidationError as exc:
            error = first_problem(exc).error()
            fail(f"{path.name}: line {number}: {error}")
        except ClearanceError as exc:
            fail(f"{path.name}: line {number}: {exc}")
        out.append(Licence(id=len(out) + 1, terms=terms))
    return out
