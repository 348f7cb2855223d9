"""``clearance licences``: the licence register, held licences and their drawdowns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer

from clearance.checks import check_shipment, read_drawdown
from clearance.cli._common import (
    CatalogueOption,
    Database,
    JsonFlag,
    catalogue_at,
    current_actor,
    emit,
    fail,
    open_store,
    print_table,
    read_json,
    regulations,
)
from clearance.licences.model import LicenceAmendment, LicenceTerms

app = typer.Typer(help="The licence register: held licences and drawdowns.", no_args_is_help=True)


@app.command("add")
def add(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The licence terms as JSON.")] = "-",
    database: Database = None,
) -> None:
    """Register a held licence from its terms (see docs/service.md for the fields).

    Example:

        clearance licences add licence.json
    """
    from clearance.store import licence_dict

    data = read_json(source)
    with open_store(database) as store:
        terms = LicenceTerms.model_validate(data)
        emit(licence_dict(store.licences.add(terms, current_actor(), regulations())))


@app.command("list")
def list_licences(
    regime: Annotated[str | None, typer.Option(help="Only this regime.")] = None,
    status: Annotated[str | None, typer.Option(help="active, suspended or revoked.")] = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List held licences with what is left on each.

    Example:

        clearance licences list --regime jp --status active
    """
    from clearance.store import licence_dict

    found = []
    with open_store(database) as store:
        after: int | None = 0
        while after is not None:
            page, after = store.licences.page(after, 500, regime, status)
            found += [licence_dict(lic) for lic in page]
    if as_json:
        emit(found)
    else:
        columns = ["id", "regime", "licence_type", "number", "valid_to", "status", "value_left", "currency"]
        print_table("licences", columns, [[lic[c] for c in columns] for lic in found])


@app.command("show")
def show(licence_id: Annotated[int, typer.Argument(metavar="ID")], database: Database = None) -> None:
    """Print a licence, its balances and its drawdowns as JSON.

    Example:

        clearance licences show 1
    """
    from clearance.store import licence_dict

    with open_store(database) as store:
        licence = licence_dict(store.licences.get(licence_id))
        history: list[dict[str, Any]] = []
        after: int | None = 0
        while after is not None:
            page, after = store.licences.drawdowns(licence_id, after, 500)
            history += [d.to_dict() for d in page]
    emit({**licence, "drawdowns": history})


def _decimal(value: str | None, option: str) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        fail(f"{option}: {value!r} is not a number")


@app.command("draw")
def draw(
    licence_id: Annotated[int, typer.Argument(metavar="ID")],
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The shipment as JSON.")] = "-",
    quantity: Annotated[str | None, typer.Option(help="Quantity shipped (with --unit).")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of the quantity, as on the licence.")] = None,
    key: Annotated[str | None, typer.Option(help="Idempotency key, e.g. the invoice number.")] = None,
    catalogue: CatalogueOption = "",
    database: Database = None,
) -> None:
    """Draw a shipment down against a licence; refused with a reason if it does not fit.

    Example:

        clearance licences draw 1 shipment.json --key INV-2024-001
    """
    from clearance.store import licence_dict

    shipment = read_json(source)
    products = catalogue_at(catalogue)
    with open_store(database) as store:
        body = {"shipment": shipment, "quantity": _decimal(quantity, "--quantity"), "unit": unit, "key": key}
        request = read_drawdown(body, products)
        answer = check_shipment(request.shipment, regulations(), store.lists.screener())
        outcome = store.licences.draw(licence_id, request, answer, current_actor())
        emit(
            {
                "drawdown": outcome.drawdown.to_dict(),
                "licence": licence_dict(outcome.licence),
                "warnings": list(outcome.warnings),
                "repeated": outcome.repeated,
            }
        )


@app.command("amend")
def amend(
    licence_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit trail).")],
    valid_to: Annotated[str | None, typer.Option(help="New end of validity (YYYY-MM-DD).")] = None,
    status: Annotated[str | None, typer.Option(help="active, suspended or revoked.")] = None,
    database: Database = None,
) -> None:
    """Amend a licence's validity or status.

    Example:

        clearance licences amend 1 --status suspended --reason "under review"
    """
    from clearance.store import licence_dict

    with open_store(database) as store:
        amendment = LicenceAmendment.model_validate({"valid_to": valid_to, "status": status, "reason": reason})
        emit(licence_dict(store.licences.amend(licence_id, amendment, current_actor())))


@app.command("expiring")
def expiring(
    within_days: Annotated[int, typer.Option(min=0, help="Horizon in days.")] = 30,
    database: Database = None,
) -> None:
    """List active licences that expire soon (exit 1 if any).

    Example:

        clearance licences expiring --within-days 60
    """
    with open_store(database) as store:
        found = store.licences.expiring(dt.date.today(), within_days)
    print_table(
        f"licences expiring within {within_days} days",
        ["id", "number", "valid_to"],
        [[lic.id, lic.terms.number, lic.terms.valid_to] for lic in found],
    )
    if found:
        raise typer.Exit(1)
