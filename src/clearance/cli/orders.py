"""``clearance orders``: order lines checked against the store (lists in use, licence register, good-guy list)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from clearance.cli._common import (
    CatalogueOption,
    Database,
    JsonFlag,
    catalogue_at,
    current_actor,
    fail,
    open_store,
    print_table,
    read_input,
    regulations,
)
from clearance.errors import ClearanceError, InputError
from clearance.orders.policy import Policy, read_policy
from clearance.orders.read import Read, json_lines, portfolio_lines
from clearance.problems import BatchError

if TYPE_CHECKING:
    from clearance.store.orders import Recheck

app = typer.Typer(help="Order lines: one release decision each (release, hold or block).", no_args_is_help=True)


#: Another policy file than the one shipped (each list's consequence, the bases that block, thresholds).
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="A policy file instead of clearance/orders/policy.yaml.")
]


#: Where order lines come from: a JSON Lines file, stdin or a portfolio folder (with the regime of its lines).
LinesArgument = Annotated[
    str, typer.Argument(metavar="FILE|-", help="Order lines as JSON Lines (- for stdin), or a portfolio folder.")
]
RegimeOption = Annotated[str, typer.Option("--regime", help="The regime of a portfolio's lines.")]


def policy_at(path: Path | None) -> Policy | None:
    """The policy at ``path`` (None: the shipped one), or fail naming the file and key."""
    try:
        return read_policy(path) if path else None
    except (ClearanceError, OSError) as exc:
        fail(f"--policy: {exc}")


def read_lines(source: str, regime: str, catalogue: str | None) -> list[Read]:
    """Order lines from FILE or stdin (JSON Lines) or a portfolio folder, each with its position; fail on a file
    that cannot be read at all (a bad line is one read error among the others)."""
    try:
        if source != "-" and Path(source).is_dir():
            return list(portfolio_lines(Path(source), regime, regulations()))
        return list(json_lines(read_input(source).splitlines(), catalogue_at(catalogue)))
    except ClearanceError as exc:
        fail(str(exc))


@app.command("check")
def orders_check(
    source: LinesArgument = "-",
    regime: RegimeOption = "jp",
    catalogue: CatalogueOption = "",
    policy: PolicyOption = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """May each order line go? release, hold or block, with every reason.

    Each line is determined (licence needed, not needed or undecided), measured against the
    licences held on its date, and every party (end user, consignee, purchaser, intermediaries)
    is screened against every list in use; each list's consequence comes from the policy
    (clearance/orders/policy.yaml, or --policy FILE). A portfolio folder (catalogue, customers, orders as
    CSV/XLSX/JSON Lines) is checked line by line, each on its ship_date.

        clearance orders check --json orders.jsonl
        clearance orders check examples/portfolio

    --json prints one JSON object per line with its input line (or row) as "position", "ref",
    "decision" and "reasons" (an error record "position", "field", "value", "message" for a
    bad line). A summary goes to stderr; bad lines exit 2,
    the others are still answered.
    """
    reads = read_lines(source, regime, catalogue)
    law = regulations()
    counts = {"release": 0, "hold": 0, "block": 0, "error": 0}
    rows: list[list[object]] = []
    with open_store(database) as store:
        for position, found in store.orders.check_all(reads, law, policy_at(policy)):
            if isinstance(found, InputError):
                counts["error"] += 1
                record: dict[str, object] = BatchError.of(position, found).to_dict()
                rows.append([position, "", "error", str(found)])
            else:
                counts[found.decision] += 1
                record = {"position": position, **found.to_dict(with_determination=False)}
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


def recheck_summary(results: list[Recheck]) -> None:
    """One line on stderr: how many open orders were checked again, changed, put on hold or blocked."""
    changed = [r for r in results if r.changed]
    stopped = [r for r in changed if r.state_before == "released" and r.state in ("held", "blocked")]
    failed = [r for r in results if r.error]
    sys.stderr.write(
        f"re-checked {len(results)} open orders: {len(changed)} changed, {len(stopped)} released ones now "
        f"held or blocked{f', {len(failed)} could not be checked' if failed else ''}\n"
    )


@app.command("recheck")
def orders_recheck(
    everything: Annotated[
        bool, typer.Option("--all", help="Check every open order (default: those checked against older law or lists).")
    ] = False,
    policy: PolicyOption = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Check every open order again after a list import or a pack change (held, blocked, released not shipped).

    By default only orders last checked against another version of the law (data_version) or of a list in use
    are checked; --all checks every one. A released order that now hits a list or needs a licence it does not
    hold is put on hold (or blocked); each change is an audit record. --json prints one record per order.

        clearance orders recheck --json
    """
    with open_store(database) as store:
        results = store.orders.recheck(
            regulations(), actor=current_actor(), stale_only=not everything, policy=policy_at(policy)
        )
    if as_json:
        for result in results:
            sys.stdout.buffer.write(orjson.dumps(result.to_dict()) + b"\n")
    else:
        rows = [
            [r.ref, f"{r.state_before} → {r.state}", f"{r.decision_before} → {r.decision}", _why(r)]
            for r in results
            if r.changed or r.error
        ]
        print_table("Orders changed", ["ref", "state", "decision", "why"], rows)
    recheck_summary(results)


def _why(result: Recheck) -> str:
    return result.error or "; ".join(r["message"] for r in result.new_reasons)
