"""The catalogue as a table (CSV or XLSX): one row per product and regime, product columns repeated.

A product without classifications has one row with the regime columns blank. Reading reports every
malformed row with its spreadsheet row number (the header is row 1) and keeps its raw values: no row is
dropped silently. Writing then reading gives the same catalogue back, in both formats.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from clearance.classify.catalogue import Catalogue, Product, ProductClassification
from clearance.errors import InputError
from clearance.law.codes import ccl_catalogue
from clearance.law.regulations import Regulations
from clearance.problems import problems
from clearance.tables import RowProblem, read_table

PRODUCT_COLUMNS = ("part_number", "description", "hs_code", "cas", "kind")
CLASSIFICATION_COLUMNS = ("regime", "status", "control_code", "entry", "classified_by", "classified_on", "evidence")
COLUMNS = PRODUCT_COLUMNS + CLASSIFICATION_COLUMNS
REQUIRED = ("part_number", "description")
#: Columns whose cells must be text in a workbook: a number loses their leading zeros and trailing digits.
TEXT_COLUMNS = ("part_number", "hs_code", "control_code")
SHEET = "catalogue"
FORMATS = (".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The products read, the problems found, and how many data rows there were."""

    catalogue: Catalogue
    problems: tuple[RowProblem, ...]
    rows: int
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every row was read without a problem."""
        return not self.problems


# -- rows ----------------------------------------------------------------------------------------------------


def catalogue_rows(catalogue: Catalogue) -> Iterator[dict[str, str]]:
    """The table rows of a catalogue (text cells; blank for absent values)."""
    for product in catalogue.values():
        base = {
            "part_number": product.part_number,
            "description": product.description,
            "hs_code": product.hs_code or "",
            "cas": product.cas or "",
            "kind": product.kind,
        }
        if not product.classifications:
            yield {**base, **dict.fromkeys(CLASSIFICATION_COLUMNS, "")}
        for c in product.classifications:
            yield {
                **base,
                "regime": c.regime,
                "status": c.status,
                "control_code": c.control_code or "",
                "entry": c.entry or "",
                "classified_by": c.classified_by,
                "classified_on": c.classified_on.isoformat(),
                "evidence": c.evidence,
            }


def _errors(name: str, row: int, exc: ValidationError, values: Mapping[str, str]) -> list[RowProblem]:
    return [
        RowProblem(name, row, str(p.loc[0]) if p.loc else None, p.message, values, value=p.value) for p in problems(exc)
    ]


def _known(code: str, regs: Regulations) -> bool:
    catalogue = ccl_catalogue()
    return catalogue.knows(code) if catalogue.get(code) is not None else regs.knows_code(code)


def parse_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    name: str = "catalogue",
    regulations: Mapping[str, Regulations] | None = None,
) -> ReadResult:
    """Products from numbered table rows; with ``regulations``, regimes and control codes are checked too."""
    problems: list[RowProblem] = []
    firsts: dict[str, tuple[int, dict[str, Any]]] = {}
    classes: dict[str, list[ProductClassification]] = {}
    seen: dict[tuple[str, str], int] = {}
    count = 0
    for number, values in rows:
        if not any(v.strip() for v in values.values()):
            continue
        count += 1
        found: list[RowProblem] = []
        product = {k: values.get(k, "") for k in PRODUCT_COLUMNS}
        product["kind"] = product["kind"] or "goods"
        try:
            checked = Product.model_validate(product)
        except ValidationError as exc:
            found += _errors(name, number, exc, values)
            checked = None
        cls_values = {k: values.get(k, "") for k in CLASSIFICATION_COLUMNS}
        classification = None
        if any(v.strip() for v in cls_values.values()):
            try:
                classification = ProductClassification.model_validate(cls_values)
            except ValidationError as exc:
                found += _errors(name, number, exc, values)
        if checked is not None:
            part = checked.part_number
            fields = checked.model_dump(exclude={"classifications"})
            first = firsts.setdefault(part, (number, fields))
            for key, value in fields.items():
                if first[0] != number and first[1][key] != value:
                    found.append(
                        RowProblem(name, number, key, f"differs from row {first[0]} ({part}'s first row)", values)
                    )
            if classification is not None:
                key2 = (part, classification.regime)
                if key2 in seen:
                    message = f"{part} already has a {key2[1]} classification in row {seen[key2]}"
                    found.append(RowProblem(name, number, "regime", message))
                seen.setdefault(key2, number)
        if classification is not None and regulations is not None:
            regs = regulations.get(classification.regime)
            if regs is None:
                known = ", ".join(sorted(regulations))
                found.append(RowProblem(name, number, "regime", f"unknown regime {classification.regime!r} ({known})"))
            elif classification.control_code and not _known(classification.control_code, regs):
                code = classification.control_code
                found.append(RowProblem(name, number, "control_code", f"unknown control code {code!r}"))
        if found:
            problems += [RowProblem(name, p.row, p.field, p.message, values) for p in found]
            continue
        assert checked is not None
        classes.setdefault(checked.part_number, [])
        if classification is not None:
            classes[checked.part_number].append(classification)
    products = [
        Product.model_validate({**fields, "classifications": tuple(classes[part])})
        for part, (_, fields) in firsts.items()
        if part in classes
    ]
    return ReadResult(Catalogue(products, name), tuple(problems), count)


def _header(name: str, header: list[str], row: int) -> list[RowProblem]:
    problems = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        problems.append(RowProblem(name, row, None, f"unknown column(s) {names} (known: {', '.join(COLUMNS)})"))
    for column in REQUIRED:
        if column not in header:
            problems.append(RowProblem(name, row, column, "required column is missing"))
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        problems.append(RowProblem(name, row, None, f"column(s) given twice: {', '.join(duplicates)}"))
    return problems


# -- reading -------------------------------------------------------------------------------------------------


def read_catalogue(path: Path, regulations: Mapping[str, Regulations] | None = None) -> ReadResult:
    """Read a catalogue file (``.csv`` or ``.xlsx``, sheet ``catalogue`` else the first) through the shared table
    reader (:func:`clearance.tables.read_table`: any encoding Excel writes, headers in English, Japanese or Korean,
    title and totals rows skipped with a note)."""
    if not path.exists():
        raise InputError("catalogue", f"{path}: no such file")
    if path.suffix.lower() not in FORMATS:
        raise InputError("catalogue", f"{path}: expected a .csv or .xlsx file")
    table = read_table(path, "catalogue", COLUMNS, text_columns=TEXT_COLUMNS, sheet=SHEET)
    header = [h for h in table.header if h]
    problems = _header(path.name, header, table.header_row)
    if problems:
        return ReadResult(Catalogue((), path.name), tuple(problems), 0, tuple(table.notes()))
    numbered: list[tuple[int, dict[str, str]]] = []
    extra: list[RowProblem] = []
    for number, values in table.rows:
        if "__extra__" in values:
            message = f"values beyond the {len(header)} header columns ({values['__extra__']})"
            extra.append(RowProblem(path.name, number, None, message, values, table.sheet))
            continue
        numbered.append((number, values))
    result = parse_rows(numbered, path.name, regulations)
    problems = sorted([*result.problems, *table.problems, *extra], key=lambda p: p.row)
    rows = result.rows + len(extra) + len({p.row for p in table.problems})
    return ReadResult(result.catalogue, tuple(problems), rows, tuple(table.notes()))


# -- CSV -----------------------------------------------------------------------------------------------------


def write_csv(catalogue: Catalogue, path: Path) -> None:
    """Write a catalogue as CSV (UTF-8 with a byte-order mark so that Excel reads it right, header row, every
    column)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(catalogue_rows(catalogue))


# -- XLSX ----------------------------------------------------------------------------------------------------


def write_xlsx(catalogue: Catalogue, path: Path) -> None:
    """Write a catalogue as a workbook with one sheet, ``catalogue``; every cell is text."""
    from openpyxl import Workbook  # loads only to write a workbook (not for a batch)
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(catalogue_rows(catalogue), start=2):
        for column, key in enumerate(COLUMNS, start=1):
            text = row[key]
            if not text:
                continue
            cell = sheet.cell(row=number, column=column)
            cell.value = text
            cell.data_type = "s"
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEFGHIJKL", (16, 48, 10, 12, 10, 8, 11, 14, 10, 18, 13, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)


# -- by file name --------------------------------------------------------------------------------------------


def write_catalogue(catalogue: Catalogue, path: Path) -> None:
    """Write a catalogue file; the format follows the extension (``.csv`` or ``.xlsx``)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(catalogue, path)
    elif suffix == ".xlsx":
        write_xlsx(catalogue, path)
    else:
        raise InputError("catalogue", f"{path}: expected a .csv or .xlsx file")


def load_catalogue(path: Path, regulations: Mapping[str, Regulations] | None = None) -> Catalogue:
    """A catalogue file that must read cleanly: :class:`InputError` naming the first problem otherwise."""
    result = read_catalogue(path, regulations)
    if result.problems:
        first = result.problems[0]
        more = f" (and {len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        raise InputError("catalogue", f"{first}{more}")
    return result.catalogue
