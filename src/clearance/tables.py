"""Tables in and out: numbered rows from CSV, XLSX or JSON Lines, and problems that name the row.

Row numbers are what a person sees: in CSV and XLSX the header is row 1, so the first data row is 2; in JSON
Lines the first line is 1. Cells come back as text (blank for empty) so models validate them uniformly.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from openpyxl import Workbook, load_workbook

from clearance.decoding import decode_text
from clearance.errors import InputError

FORMATS = (".csv", ".xlsx", ".jsonl")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A problem with one row: the file, the row number (the header is row 1), the column, what is wrong, the row as
    read and the value given."""

    file: str
    row: int
    field: str | None
    message: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    value: Any = None

    def record(self) -> dict[str, Any]:
        """The batch error record (:meth:`clearance.problems.Problem.record`), with the file."""
        return {
            "position": self.row,
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "file": self.file,
        }

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}"


def cell_text(value: Any) -> str:
    """A cell as text: dates in ISO form, whole numbers without a decimal point, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Numbered rows of a CSV, XLSX (first sheet) or JSON Lines file; ``what`` names the input in errors."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(what, f"{path.name}: expected one of {', '.join(FORMATS)}")
    if not path.exists():
        raise InputError(what, f"{path} does not exist")
    if suffix == ".csv":
        yield from _csv_rows(path, what)
    elif suffix == ".xlsx":
        yield from _xlsx_rows(path, what)
    else:
        yield from _jsonl_rows(path, what)


def _csv_rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(decode_text(path.read_bytes(), what, path.name), newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row = {h: c.strip() for h, c in zip(header, cells, strict=False)}
            if len(cells) > len(header):
                row["__extra__"] = ",".join(cells[len(header) :])
            yield number, row
    except csv.Error as exc:
        raise InputError(what, f"{path.name}: not a readable CSV file ({exc})") from None


def _xlsx_rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for unreadable files
        raise InputError(what, f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [cell_text(h) for h in next(rows, ())]
        for number, cells in enumerate(rows, start=2):
            if all(c is None or cell_text(c) == "" for c in cells):
                continue
            yield number, {h: cell_text(c) for h, c in zip(header, cells, strict=False) if h}
    finally:
        book.close()


def _jsonl_rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(decode_text(line, what))
        except InputError as exc:
            yield number, {"__error__": exc.message}
            continue
        except orjson.JSONDecodeError as exc:
            yield number, {"__error__": f"not valid JSON: {exc}"}
            continue
        if not isinstance(data, dict):
            yield number, {"__error__": "expected a JSON object"}
            continue
        yield number, {str(k): cell_text(v) for k, v in data.items()}


def write_rows(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write rows as CSV, XLSX or JSON Lines, chosen by the file suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
            writer.writeheader()
            writer.writerows({c: cell_text(r.get(c)) for c in columns} for r in rows)
    elif suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(columns))
        for r in rows:
            sheet.append([cell_text(r.get(c)) for c in columns])
        book.save(path)
    elif suffix == ".jsonl":
        with path.open("wb") as handle:
            for r in rows:
                handle.write(orjson.dumps({c: r.get(c) for c in columns}, default=str) + b"\n")
    else:
        raise InputError("output", f"{path.name}: expected one of {', '.join(FORMATS)}")
