"""A catalogue assessed row by row (CSV, XLSX or JSON Lines): every row comes back, assessed or with its problem.

Columns: ``name`` (required), ``description``, ``kind``, ``part_number``, ``hs_code``, ``composition``
(``7664-39-3:49; 7732-18-5:51``, the weight share after the colon may be left out) and one column per parameter
of the vocabulary (``exposure_wavelength_nm``, ``resist_tone`` …; ``true``/``false`` for booleans). Blank cells
are not given. The regime and date are the batch's, or a row's own ``regime`` and ``date`` columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clearance.classify.assess import Assessment, assess, parse_request
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.sheets import Parameter, SheetSet
from clearance.errors import InputError
from clearance.headers import cell_value
from clearance.law.regulations import Regulations
from clearance.tables import RowProblem, Table

PRODUCT_COLUMNS = ("name", "description", "kind", "part_number", "hs_code")


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One row of the catalogue: its assessment, or the problem that kept it from being assessed."""

    row: int
    values: Mapping[str, str]
    assessment: Assessment | None
    problem: RowProblem | None


def _composition(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in (p.strip() for p in text.replace("；", ";").split(";")):
        if not part:
            continue
        cas, _, share = part.partition(":")
        out.append({"cas": cas.strip(), **({"weight_percent": share.strip()} if share.strip() else {})})
    return out


def _cell(value: str, parameter: Parameter, column: str) -> Any:
    if parameter.type == "boolean":
        lowered = str(cell_value("boolean", value)).lower()
        if lowered not in ("true", "false"):
            raise InputError(column, f"expected true or false (yes/no, はい/いいえ, 예/아니요 …), got {value!r}")
        return lowered == "true"
    return value


def row_request(values: Mapping[str, str], regime: str, when: dt.date, vocabulary: Mapping[str, Parameter]) -> Any:
    """The assessment request a row stands for (as JSON data); :class:`InputError` names the column."""
    known = {*PRODUCT_COLUMNS, "composition", "regime", "date", *vocabulary}
    for column in values:
        if column not in known:
            raise InputError(column, "unknown column (a product field, composition, regime, date or a parameter)")
    product: dict[str, Any] = {k: values[k] for k in PRODUCT_COLUMNS if values.get(k)}
    if values.get("composition"):
        product["composition"] = _composition(values["composition"])
    product["parameters"] = {
        name: _cell(values[name], parameter, name)
        for name, parameter in vocabulary.items()
        if values.get(name) and parameter.type != "composition"
    }
    return {
        "regime": values.get("regime") or regime,
        "date": values.get("date") or when.isoformat(),
        "product": product,
    }


def assess_rows(
    table: Table, regulations: Regulations, sheets: SheetSet, ordinance: GoodsOrdinance, when: dt.date
) -> Iterator[BatchRow]:
    """Each row of a catalogue (:func:`clearance.tables.read_table`) assessed on ``when`` (or its own date), in
    order, none dropped."""
    vocabulary = sheets.vocabulary.parameters
    for number, values in table.rows:
        try:
            request = parse_request(row_request(values, regulations.id, when, vocabulary))
            if request.regime != regulations.id:
                raise InputError("regime", f"{request.regime!r}: this batch is assessed under {regulations.id!r}")
            yield BatchRow(number, values, assess(request, regulations, sheets, ordinance), None)
        except InputError as exc:
            field = exc.field.removeprefix("product.").removeprefix("parameters.")
            problem = RowProblem(table.file, number, field, exc.message, values, value=exc.value)
            yield BatchRow(number, values, None, problem)
