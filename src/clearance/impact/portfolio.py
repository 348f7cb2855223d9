"""A portfolio: the product catalogue, customers, and open orders or planned shipments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clearance.cellvalues import Day, Number, currency_of
from clearance.classify.catalogue import Catalogue, resolve_product
from clearance.classify.tabular import read_catalogue
from clearance.errors import InputError
from clearance.headers import cell_value
from clearance.law.countries import CountryCode
from clearance.problems import first_problem
from clearance.tables import FORMATS, RowProblem, cell_text, read_table


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


RowModel = TypeVar("RowModel", bound=_Row)


class Customer(_Row):
    """A customer: who receives the goods, where, and for what use."""

    customer_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    country: CountryCode
    end_use: Literal["civil", "wmd", "conventional_weapons", "unknown"] = "civil"
    informed: bool = False

    @field_validator("end_use", mode="before")
    @classmethod
    def _end_use_as_written(cls, value: Any) -> Any:
        """An end use as sheets write it (民生, 軍事, 대량살상무기 …): data/values.yaml."""
        return cell_value("end_use", value)

    @field_validator("informed", mode="before")
    @classmethod
    def _flag_as_written(cls, value: Any) -> Any:
        """Informed or not as sheets write it (はい/いいえ, ○/×, 예/아니요 …): data/values.yaml."""
        return cell_value("boolean", value)


class Order(_Row):
    """An open order or planned shipment line."""

    order_id: str = Field(min_length=1)
    part_number: str = Field(min_length=1)
    customer_id: str = Field(min_length=1)
    quantity: Number = Field(gt=0)
    unit: str = "pcs"
    value: Number = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    ship_date: Day

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="before")
    @classmethod
    def _currency_from_sign(cls, data: Any) -> Any:
        """A value written with its currency's sign (``¥7,200,000``) and no currency: the sign's currency."""
        if isinstance(data, dict) and not data.get("currency") and (sign := currency_of(data.get("value"))):
            return {**data, "currency": sign}
        return data


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The catalogue, customers and orders of one exporter (each order with its row number in
    ``orders_file``), with every problem found reading them: a row that could not be read is one of
    ``problems``, never dropped silently. ``notes`` say how the files were read (encoding, title, blank and totals
    rows skipped, columns not used)."""

    catalogue: Catalogue
    customers: dict[str, Customer]
    orders: tuple[tuple[int, Order], ...]
    problems: tuple[RowProblem, ...]
    orders_file: str
    notes: tuple[str, ...] = ()


def order_fields(order: Order, portfolio: Portfolio, regime: str, when: dt.date) -> dict[str, Any]:
    """The shipment of an order line as JSON data (its product resolved against the portfolio's catalogue, its
    customer as end user) for ``regime`` on ``when``; :class:`InputError` on ``customer_id`` or ``part_number``."""
    customer = portfolio.customers.get(order.customer_id)
    if customer is None:
        raise InputError("customer_id", f"unknown customer {order.customer_id!r}")
    try:
        item = resolve_product(portfolio.catalogue, order.part_number, regime).item_fields()
    except InputError as exc:
        raise InputError("part_number", exc.message) from None
    return {
        "ref": order.order_id,
        "regime": regime,
        "date": when,
        "destination": customer.country,
        "item": {**item, "value": order.value, "currency": order.currency},
        "end_use": customer.end_use,
        "end_user": {"name": customer.name, "country": customer.country},
        "informed": customer.informed,
    }


def _find(folder: Path, stem: str) -> Path:
    for suffix in FORMATS:
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    raise InputError("portfolio", f"{folder}: no {stem}.csv, {stem}.xlsx, {stem}.jsonl or {stem}.parquet")


def _models(path: Path, model: type[_Row], what: str) -> tuple[list[tuple[int, Any]], list[RowProblem], list[str]]:
    table = read_table(path, what, tuple(model.model_fields))
    rows: list[tuple[int, Any]] = []
    problems: list[RowProblem] = list(table.problems)
    for number, values in table.rows:
        read = read_row(model, path.name, number, values, table.sheet)
        if isinstance(read, RowProblem):
            problems.append(read)
        else:
            rows.append((number, read))
    return rows, problems, table.notes()


def read_row(
    model: type[RowModel], file: str, number: int, values: dict[str, str], sheet: str | None = None
) -> RowModel | RowProblem:
    """Row ``number`` of ``file`` (its cells as text) as a ``model``, or the problem naming why it cannot be."""
    if "__error__" in values:
        return RowProblem(file, number, None, values["__error__"])
    if "__extra__" in values:
        return RowProblem(file, number, None, "more cells than the header has", values, sheet)
    try:
        return model.model_validate({k: v for k, v in values.items() if v != ""})
    except ValidationError as exc:
        problem = first_problem(exc)
        column = problem.field if problem.loc else None
        return RowProblem(file, number, column, problem.message, values, sheet, problem.value)


def read_portfolio(folder: Path, regulations: Any = None, *, orders: bool = True) -> Portfolio:
    """Read ``catalogue``, ``customers`` and ``orders`` (CSV, XLSX, JSON Lines or Parquet) from a folder (without
    ``orders``: the catalogue and customers only, for a job that reads the orders itself).

    Every bad row is reported with its file and row number; none is dropped silently: an order whose customer
    or product is unknown is kept and reported by the impact run as an error line."""
    catalogue_path = next(
        (folder / f"catalogue{s}" for s in (".csv", ".xlsx") if (folder / f"catalogue{s}").exists()), None
    )
    if catalogue_path is None:
        raise InputError("portfolio", f"{folder}: no catalogue.csv or catalogue.xlsx")
    result = read_catalogue(catalogue_path, regulations)
    problems = list(result.problems)
    customers_path, orders_path = _find(folder, "customers"), _find(folder, "orders")
    customer_rows, customer_problems, customer_notes = _models(customers_path, Customer, "customers")
    order_rows, order_problems, order_notes = _models(orders_path, Order, "orders") if orders else ([], [], [])
    customers: dict[str, Customer] = {}
    for number, customer in customer_rows:
        if customer.customer_id in customers:
            customer_problems.append(
                RowProblem(
                    customers_path.name,
                    number,
                    "customer_id",
                    f"{customer.customer_id!r} appears twice (the first row is used)",
                    {k: cell_text(v) for k, v in customer.model_dump().items()},
                )
            )
            continue
        customers[customer.customer_id] = customer
    return Portfolio(
        result.catalogue,
        customers,
        tuple(order_rows),
        tuple([*problems, *customer_problems, *order_problems]),
        orders_path.name,
        (*result.notes, *customer_notes, *order_notes),
    )


def configured_portfolio(folder: str | None, regulations: Any = None) -> Portfolio:
    """The portfolio a service was started with (``--portfolio``), read afresh; :class:`InputError` without one."""
    if not folder:
        raise InputError("portfolio", "this server has no portfolio: start it with --portfolio FOLDER (or --demo)")
    return read_portfolio(Path(folder), regulations)
