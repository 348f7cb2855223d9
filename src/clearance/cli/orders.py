"""``clearance orders``: order lines checked against the store (lists in use, licence register, good-guy list)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from clearance.cli._common import Database, JsonFlag, catalogue_at, fail, open_store, print_table
from clearance.errors import ClearanceError, InputError
from clearance.law import load_regulations
from clearance.orders.read import Read, json_lines, portfolio_lines

app = typer.Typer(help="Order lines: one release decision each (release, hold or block).", no_args_is_help=True)


def _reads(source: str, regime: str, catalogue: str | None, regulations: object) -> list[Read]:
    try:
        if source != "-" and Path(source).is_dir():
            return list(portfolio_lines(Path(source), regime, regulations))
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        return list(json_lines(data.splitlines(), catalogue_at(catalogue)))
    except OSError as exc:
        fail(f"FILE: cannot read {source!r}: {exc.strerror}")
    except ClearanceError as exc:
        fail(str(exc))


@app.command("check")
def orders_check(
    source: Annotated[
        str, typer.Argument(metavar="FILE|-", help="Order lines as JSON Lines (- for stdin), or a portfolio folder.")
    ] = "-",
    regime: Annotated[str, typer.Option("--regime", help="The regime of a portfolio's lines.")] = "jp",
    catalogue: Annotated[
        str | None, typer.Option("--catalogue", help='Product catalogue for items given as {"product": PART}.')
    ] = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """May each order line go? release, hold or block, with every reason.

    Each line is determined (licence needed, not needed or undecided), measured against the
    licences held on its date, and every party (end user, consignee, purchaser, intermediaries)
    is screened against every list in use; each list's consequence comes from the policy
    (clearance/orders/policy.yaml). A portfolio folder (catalogue, customers, orders as
    CSV/XLSX/JSON Lines) is checked line by line, each on its ship_date.

        clearance orders check --json orders.jsonl
        clearance orders check examples/portfolio

    --json prints one JSON object per line with its input "line", "ref", "decision" and
    "reasons" (an error record for a bad line). A summary goes to stderr; bad lines exit 2,
    the others are still answered.
    """
    regulations = load_regulations()
    reads = _reads(source, regime, catalogue, regulations)
    counts = {"release": 0, "hold": 0, "block": 0, "error": 0}
    rows: list[list[object]] = []
    with open_store(database) as store:
        for position, found in store.orders.check_all(reads, regulations):
            if isinstance(found, InputError):
                counts["error"] += 1
                record: dict[str, object] = {
                    "line": position,
                    "error": {"field": found.field, "message": found.message},
                }
                rows.append([position, "", "error", str(found)])
            else:
                counts[found.decision] += 1
                record = {"line": position, **found.to_dict(with_determination=False)}
                why = "; ".join(r.message for r in (found.open_reasons or found.reasons))
                rows.append([position, found.ref, found.decision, why])
            if as_json:
                sys.stdout.buffer.write(orjson.dumps(record, default=str) + b"\n")
    if not as_json:
        print_table("Order lines", ["line", "ref", "decision", "reasons"], rows)
    summary = ", ".join(
        f"{n} {word}" for word, n in zip(("released", "held", "blocked", "with errors"), counts.values(), strict=True)
    )
    sys.stderr.write(f"{len(reads)} lines: {summary}\n")
    if counts["error"]:
        raise typer.Exit(2)
