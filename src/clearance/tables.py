"""Tables in: one reader for every input (portfolio catalogue, customers and orders, catalogues, parties to
screen) as Excel and ERPs write them; and tables out, the way Excel opens them well.

Reading finds the encoding of a CSV (UTF-8 with or without BOM, Shift_JIS/CP932, EUC-JP, EUC-KR, UTF-16), the
header row below any title rows, the columns from headers in English, Japanese or Korean (``data/headers.yaml``),
fills merged cells of a workbook the way Excel shows them, and skips blank and totals rows with a note: every row
of the file is either read or accounted for in :attr:`Table.skipped`.

Row numbers are what a person sees: in CSV and XLSX the first line is row 1 (a header without title rows above it
is row 1, so the first data row is 2); in JSON Lines the first line is 1. Cells come back as text (blank for
empty) so models validate them uniformly.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import orjson

from clearance.decoding import STREAM_ENCODINGS, decode_table, decode_text, stream_codec
from clearance.errors import InputError
from clearance.headers import HEADER_SEARCH_ROWS, column_for, find_header, is_totals_row
from clearance.parquetfile import open_parquet, reading

if TYPE_CHECKING:  # openpyxl loads only to read or write a workbook (not for a batch of JSON Lines)
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = (".csv", ".xlsx", ".jsonl", ".parquet")
#: Rows of a Parquet file read at a time when it is streamed (:func:`stream_parquet`).
PARQUET_BATCH_ROWS = 65_536

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A problem with one row: the file, the row number (the header is row 1), the column, what is wrong, the row as
    read, the value given, and the sheet of a workbook."""

    file: str
    row: int
    field: str | None
    message: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    sheet: str | None = None
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
        file = f"{self.file} [{self.sheet}]" if self.sheet else self.file
        where = f"{file}: row {self.row}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row not read as data: a title row above the header, a blank row or a totals row (with its cells)."""

    row: int
    kind: Literal["title", "blank", "totals"]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table as read: its numbered data rows (columns named as the reader asked), the rows skipped, the header
    row and the columns it did not know, the encoding (CSV) and the sheet (XLSX)."""

    file: str
    rows: tuple[tuple[int, dict[str, str]], ...]
    skipped: tuple[Skipped, ...] = ()
    header_row: int = 1
    header: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    encoding: str | None = None
    sheet: str | None = None
    problems: tuple[RowProblem, ...] = ()

    def notes(self) -> list[str]:
        """What a person should know about how the file was read: encoding, title, blank and totals rows skipped,
        columns not used."""
        return read_notes(self.file, self.skipped, self.header_row, self.unknown_columns, self.encoding, self.sheet)


def read_notes(
    file: str,
    skipped: Sequence[Skipped],
    header_row: int,
    unknown_columns: Sequence[str] = (),
    encoding: str | None = None,
    sheet: str | None = None,
) -> list[str]:
    """The notes of a table read (:meth:`Table.notes`): its encoding, title, blank and totals rows ``skipped``,
    columns not used."""
    out = [f"{file}: read as {encoding}"] if encoding not in (None, "UTF-8") else []
    where = f"{file} [{sheet}]" if sheet else file
    titles = [s for s in skipped if s.kind == "title"]
    if titles:
        out.append(f"{where}: header found in row {header_row}; title rows above it skipped ({_rows(titles)})")
    for s in skipped:
        if s.kind == "totals":
            out.append(f"{where}: row {s.row} is a totals row, not an order or record: skipped ({s.text})")
    blanks = [s for s in skipped if s.kind == "blank"]
    if blanks:
        out.append(f"{where}: blank rows skipped ({_rows(blanks)})")
    if unknown_columns:
        out.append(f"{where}: columns not used: {', '.join(unknown_columns)}")
    return out


def _rows(skipped: Sequence[Skipped]) -> str:
    numbers = [s.row for s in skipped]
    return "row " + str(numbers[0]) if len(numbers) == 1 else "rows " + ", ".join(map(str, numbers))


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


def read_table(
    path: Path,
    what: str,
    columns: Collection[str] = (),
    data: bytes | None = None,
    text_columns: Collection[str] = (),
    sheet: str | None = None,
    fmt: str | None = None,
) -> Table:
    """A CSV, XLSX (its first sheet) or JSON Lines table; ``what`` names the input in errors, ``columns`` are the
    columns the caller reads (headers naming them in another language are mapped to them, the header row is the one
    naming most of them, and other columns are left out with a note). ``data`` is the file's content when it is not
    (yet) on disk. A workbook row with a number in one of ``text_columns`` (codes whose zeros and digits a number
    loses) is one of :attr:`Table.problems` instead of a row. A workbook is read from its sheet named ``sheet``,
    else its first. ``fmt`` (``csv``, ``xlsx``, ``jsonl``, ``parquet``) reads a file whatever its name says."""
    suffix = f".{fmt}" if fmt else path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(what, f"{path.name}: expected one of {', '.join(FORMATS)}")
    if data is None:
        if not path.exists():
            raise InputError(what, f"{path} does not exist")
        data = path.read_bytes()
    if suffix == ".jsonl":
        return Table(path.name, tuple(_jsonl_rows(data, what, columns)))
    if suffix == ".parquet":
        return _parquet_table(path, data, what, columns)
    if suffix == ".csv":
        decoded = decode_table(data, what, path.name)
        try:
            grid = [list(r) for r in csv.reader(io.StringIO(decoded.text, newline=""))]
        except csv.Error as exc:
            raise InputError(what, f"{path.name}: not a readable CSV file ({exc})") from None
        return _table(path.name, grid, columns, encoding=decoded.encoding)
    sheet_name, cells = _sheet_cells(path, data, what, sheet)
    return _table(path.name, cells, columns, sheet=sheet_name, text_columns=text_columns)


def read_rows(path: Path, what: str, columns: Collection[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """The numbered data rows of :func:`read_table`."""
    yield from read_table(path, what, columns).rows


def _table(
    file: str,
    raw: Sequence[Sequence[Any]],
    columns: Collection[str],
    encoding: str | None = None,
    sheet: str | None = None,
    text_columns: Collection[str] = (),
) -> Table:
    grid = [[cell_text(v) for v in row] for row in raw]
    header = find_header(grid, columns)
    if header is None:
        return Table(file, (), encoding=encoding, sheet=sheet)
    names = header.names
    skipped = _above_header(grid, header.index)
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    data = _data_rows(enumerate(grid[header.index + 1 :], start=header.index + 2), names, columns)
    for number, row in kept_rows(data, skipped):
        numbers = [
            RowProblem(file, number, n, f"stored as a number ({v}); store it as text so digits and zeros survive", row)
            for n, v in zip(names, raw[number - 1], strict=False)
            if n in text_columns and isinstance(v, int | float) and not isinstance(v, bool)
        ]
        if numbers:
            problems += [dataclasses.replace(p, sheet=sheet) for p in numbers]
            continue
        rows.append((number, row))
    return Table(
        file,
        tuple(rows),
        tuple(skipped),
        header.index + 1,
        names,
        header.unknown,
        encoding,
        sheet,
        tuple(problems),
    )


def _data_rows(
    numbered: Iterable[tuple[int, list[str]]], names: Sequence[str], columns: Collection[str]
) -> Iterator[tuple[int, dict[str, str]] | Skipped]:
    """The rows below a header (its column ``names``), each as its cells by column (cells beyond the header's
    joined in ``__extra__``), or skipped: a blank or totals row."""
    for number, cells in numbered:
        if not any(cells):
            yield Skipped(number, "blank")
        elif is_totals_row(cells):
            yield Skipped(number, "totals", " ".join(c for c in cells if c))
        else:
            row = {n: c for n, c in zip(names, cells, strict=False) if n and (not columns or n in columns)}
            extra = cells[len(names) :]
            if any(extra):
                row["__extra__"] = ",".join(extra)
            yield number, row


def _above_header(grid: Sequence[Sequence[str]], index: int) -> list[Skipped]:
    """The rows above the header (at ``index``): title rows, or blank."""
    titles = (Skipped(n, "title", " ".join(c for c in grid[n - 1] if c)) for n in range(1, index + 1))
    return [s if s.text else Skipped(s.row, "blank") for s in titles]


def kept_rows(reads: Iterable[T | Skipped], skipped: list[Skipped]) -> Iterator[T]:
    """The rows of ``reads`` that are read, as they are iterated; those skipped go to ``skipped`` once a row below
    them is read or skipped (blank rows at the end, which Excel and editors often keep, are not worth a note)."""
    blanks: list[Skipped] = []
    for read in reads:
        if isinstance(read, Skipped) and read.kind == "blank":
            blanks.append(read)
            continue
        if blanks:
            skipped += blanks
            blanks.clear()
        if isinstance(read, Skipped):
            skipped.append(read)
        else:
            yield read


def _sheet_cells(path: Path, data: bytes, what: str, name: str | None) -> tuple[str, list[list[Any]]]:
    """The name and cell values of the sheet called ``name`` (else the first), merged cells filled with their value
    the way Excel shows them."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for unreadable files
        raise InputError(what, f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book[name] if name in book.sheetnames else book.worksheets[0]
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = value
        return sheet.title, grid
    finally:
        book.close()


def _jsonl_rows(data: bytes, what: str, columns: Collection[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            yield number, jsonl_cells(line, what, columns)


def jsonl_cells(line: bytes, what: str, columns: Collection[str]) -> dict[str, str]:
    """A non-blank JSON Lines row's cells as text, keys read as ``columns`` (``__error__``: why it cannot be read)."""
    try:
        record = orjson.loads(decode_text(line, what))
    except InputError as exc:
        return {"__error__": exc.message}
    except orjson.JSONDecodeError as exc:
        return {"__error__": f"not valid JSON: {exc}"}
    if not isinstance(record, dict):
        return {"__error__": "expected a JSON object"}
    return {(column_for(str(k), columns) or str(k)): cell_text(v) for k, v in record.items()}


def _parquet_table(path: Path, data: bytes, what: str, columns: Collection[str]) -> Table:
    """A Parquet file's rows, numbered from 1 like JSON Lines, each cell as text."""
    read = stream_parquet(path, what, columns, data)
    return Table(path.name, tuple(read.rows), header_row=0, header=read.header)


# -- streamed in ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRows:
    """A table read as it is used: its header row and columns (as :class:`Table` has them) and its numbered data
    rows, read from the file as they are iterated (once), and how many there are when the file says (Parquet); the
    rows skipped (:attr:`Table.skipped`) are in :attr:`skipped` once the rows below them are read."""

    header_row: int
    header: tuple[str, ...]
    rows: Iterator[tuple[int, dict[str, str]]]
    count: int | None = None
    skipped: list[Skipped] = dataclasses.field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()
    encoding: str | None = None

    def notes(self, file: str) -> list[str]:
        """:meth:`Table.notes` of the rows read so far, ``file`` naming the file."""
        return read_notes(file, self.skipped, self.header_row, self.unknown_columns, self.encoding)


def stream_csv(path: Path, what: str, columns: Collection[str] = (), codec: str | None = None) -> TableRows | None:
    """A CSV file's rows as :func:`read_table` reads them (with its notes), read a row at a time: None
    when the file is not UTF-8 (with or without BOM) or UTF-16 with a BOM, the encodings known without reading the whole
    file (:func:`~clearance.decoding.stream_codec`, unless ``codec`` gives its answer), which :func:`read_table` then
    reads whole."""
    codec = codec or stream_codec(path)
    if codec is None:
        return None
    with path.open(encoding=codec, newline="") as text:
        head = [[cell_text(c) for c in row] for row in _csv(path, what, islice(csv.reader(text), HEADER_SEARCH_ROWS))]
    header = find_header(head, columns)
    if header is None:
        return TableRows(1, (), iter(()))
    skipped = _above_header(head, header.index)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with path.open(encoding=codec, newline="") as text:
            cells = ([cell_text(c) for c in row] for row in _csv(path, what, csv.reader(text)))
            numbered = islice(enumerate(cells, start=1), header.index + 1, None)
            yield from kept_rows(_data_rows(numbered, header.names, columns), skipped)

    return TableRows(header.index + 1, header.names, rows(), None, skipped, header.unknown, STREAM_ENCODINGS[codec])


def _csv(path: Path, what: str, rows: Iterable[list[str]]) -> Iterator[list[str]]:
    try:
        yield from rows
    except csv.Error as exc:
        raise InputError(what, f"{path.name}: not a readable CSV file ({exc})") from None


def stream_parquet(path: Path, what: str, columns: Collection[str] = (), data: bytes | None = None) -> TableRows:
    """A Parquet file's rows as :func:`read_table` reads them (numbered from 1, cells as text), read a row group
    at a time (from ``data`` when given, else from the file)."""
    parquet = open_parquet(path, what, data)
    names = tuple(column_for(str(k), columns) or str(k) for k in parquet.schema_arrow.names)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        number = 0
        with reading(path, what):
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
                for row in batch.to_pylist():
                    number += 1
                    yield number, {name: cell_text(value) for name, value in zip(names, row.values(), strict=True)}

    return TableRows(0, names, rows(), parquet.metadata.num_rows)


# -- out -----------------------------------------------------------------------------------------------------

#: Widest column an XLSX output sets, in characters.
MAX_WIDTH = 60


def write_rows(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    *,
    sheet: str = "data",
    bom: bool = True,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Write rows as CSV, XLSX, JSON Lines or Parquet, chosen by the file suffix.

    CSV is UTF-8 with a byte-order mark (so Excel shows Japanese and Korean text rather than mojibake) unless
    ``bom`` is false. XLSX has one sheet named ``sheet``, numbers and dates as typed cells, a bold frozen header
    row with a filter, and columns as wide as their contents. ``labels`` gives the header row's words for the
    columns (the column names otherwise); JSON Lines always uses the column names."""
    suffix = path.suffix.lower()
    header = [(labels or {}).get(c, c) for c in columns]
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([cell_text(r.get(c)) for c in columns] for r in rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        out = book.active
        assert out is not None
        out.title = sheet
        out.append(header)
        for r in rows:
            out.append([_typed(r.get(c)) for c in columns])
        style_sheet(out)
        book.save(path)
    elif suffix == ".jsonl":
        with path.open("wb") as handle:
            for r in rows:
                handle.write(json_row(columns, r) + b"\n")
    elif suffix == ".parquet":
        _parquet_rows(path, columns, rows)
    else:
        raise InputError("output", f"{path.name}: expected one of {', '.join(FORMATS)}")


def json_row(columns: Sequence[str], row: Mapping[str, Any]) -> bytes:
    """One row as a JSON Lines output holds it (without newline): the columns in order, dates and decimals as
    text."""
    return orjson.dumps({c: row.get(c) for c in columns}, default=str)


def _parquet_rows(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows as a Parquet file (:func:`report_cell` typing each cell)."""
    import pyarrow as pa  # loaded only for Parquet
    import pyarrow.parquet as pq

    try:
        pq.write_table(pa.table({c: [report_cell(r.get(c)) for r in rows] for c in columns}), path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError("--output", f"cannot write {str(path)!r}: {exc}") from None


def report_cell(value: Any) -> Any:
    """A cell as a Parquet column holds it: blank null, whole numbers and flags typed, everything else text."""
    if value is None or value == "":
        return None
    return value if isinstance(value, bool | int) else str(value)


def _typed(value: Any) -> Any:
    """A value as an XLSX cell takes it: numbers and dates typed, blanks empty, everything else text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return str(value)


def text_width(text: str) -> int:
    """How many columns ``text`` takes in a spreadsheet: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def style_sheet(sheet: Worksheet) -> None:
    """A sheet whose first row is its header: bold, frozen, with a filter; dates shown as dates; columns as wide
    as their contents (up to :data:`MAX_WIDTH`)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if cell.value is not None:
                width = text_width(cell_text(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
