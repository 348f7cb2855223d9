"""Order lines as users give them: JSON (one object, or JSON Lines) with products resolved against a catalogue,
or the portfolio formats (a folder of catalogue, customers and orders as CSV, XLSX or JSON Lines)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from clearance.classify.catalogue import Catalogue, resolve_shipment
from clearance.errors import ClearanceError, InputError
from clearance.impact.portfolio import order_fields, read_portfolio
from clearance.inputs import json_object
from clearance.orders.model import OrderLine
from clearance.problems import invalid


def read_line(data: object, catalogue: Catalogue | None = None) -> OrderLine:
    """One order line from JSON text or parsed JSON, its ``item.product`` resolved against ``catalogue``;
    :class:`InputError` naming the field."""
    try:
        return OrderLine.model_validate(resolve_shipment(json_object(data), catalogue))
    except ValidationError as exc:
        raise invalid(exc) from None


#: One line read: its position (line or row number) and the order line, or the error that stops it.
Read = tuple[int, OrderLine | InputError]


def json_lines(lines: Sequence[object], catalogue: Catalogue | None = None) -> Iterator[Read]:
    """Each line of a JSON Lines text (or each parsed JSON value) read as an order line, with its 1-based number;
    blank lines are skipped (and counted)."""
    for number, text in enumerate(lines, start=1):
        if isinstance(text, bytes | str) and not text.strip():
            continue
        try:
            yield number, read_line(text, catalogue)
        except InputError as exc:
            yield number, exc


def portfolio_lines(folder: Path, regime: str, regulations: Any = None) -> Iterator[Read]:
    """The order lines of a portfolio folder (each dated by its ``ship_date``), with their row numbers in the
    orders file; a row that cannot be read (a bad cell, an unknown customer or product) is an error, never dropped."""
    portfolio = read_portfolio(folder, regulations)
    reads: list[Read] = []
    for problem in portfolio.problems:
        if problem.file == portfolio.orders_file:
            reads.append((problem.row, InputError(problem.field or "row", problem.message)))
    for row, order in portfolio.orders:
        try:
            fields = order_fields(order, portfolio, regime, order.ship_date)
            reads.append((row, OrderLine.model_validate({**fields, "quantity": order.quantity, "unit": order.unit})))
        except ValidationError as exc:
            reads.append((row, invalid(exc)))
        except ClearanceError as exc:
            reads.append((row, exc if isinstance(exc, InputError) else InputError("row", str(exc))))
    yield from sorted(reads, key=lambda r: r[0])
