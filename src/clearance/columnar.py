"""Parquet in and out for batches, streamed a row group at a time (pyarrow).

In, each row is the JSON object a JSON Lines batch would hold (struct columns are nested objects, a null cell an
absent field), so a Parquet batch goes through the same reading and gives the same answers and error records
as JSON Lines. Out, each record becomes a row: the columns an order book is filtered on (``position``, ``ref``,
``licence_required``, ``basis``...) beside the whole record as JSON (``record``); an error record (the same as in
JSON Lines) has its ``position`` and its message in ``error``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from clearance.errors import InputError
from clearance.parquetfile import open_parquet, reading
from clearance.problems import is_error_record

#: Rows read from, or written to, a Parquet file at a time.
ROWS_PER_GROUP = 65_536


def _plain(value: Any) -> Any:
    """A cell as JSON sees it: nulls dropped from objects, decimals and dates as text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def lean_memory_pool() -> None:
    """Make arrow allocate from its jemalloc pool (for a batch answered as columns), unless
    ``ARROW_DEFAULT_MEMORY_POOL`` chooses one or pyarrow was built without it: its default, mimalloc, kept about
    65 MB more at the peak of 1,000,000 Parquet lines (365 against 299 MB, the system pool 317 MB at more CPU time;
    docs/benchmarks.md)."""
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    with suppress(NotImplementedError):  # a build without jemalloc keeps its default
        pa.set_memory_pool(pa.jemalloc_memory_pool())


class ParquetRows:
    """The rows of a Parquet file, in order: each as a line of JSON (without newline) when iterated, or as tables
    of rows (:meth:`tables`), read a row group at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        for table in self.tables():
            for row in table.to_pylist():
                yield as_json(row)

    def tables(self) -> Iterator[pa.Table]:
        """The rows, a table of at most :data:`ROWS_PER_GROUP` at a time."""
        parquet = open_parquet(self.path, "FILE")
        with reading(self.path, "FILE"):
            for batch in parquet.iter_batches(batch_size=ROWS_PER_GROUP):
                yield pa.Table.from_batches([batch])


def parquet_lines(path: Path) -> Iterator[bytes]:
    """Each row of a Parquet file as a line of JSON (without newline), in order."""
    return iter(ParquetRows(path))


def as_json(cell: Any) -> bytes:
    """A row (or a cell) as its line of JSON (a null field absent, decimals and dates as text)."""
    return orjson.dumps(_plain(cell), default=_text)


def parquet_count(path: Path) -> int:
    """The number of rows of a Parquet file (from its footer)."""
    return int(open_parquet(path, "FILE").metadata.num_rows)


def _text(value: Any) -> str:
    if isinstance(value, dt.date | dt.time | Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


#: The columns of a batch's records in Parquet, beside ``record`` (the whole record as JSON).
SCHEMA = pa.schema(
    [
        ("position", pa.int64()),
        ("ref", pa.string()),
        ("regime", pa.string()),
        ("date", pa.date32()),
        ("destination", pa.string()),
        ("destination_group", pa.string()),
        ("licence_required", pa.bool_()),
        ("basis", pa.list_(pa.string())),
        ("licence_options", pa.list_(pa.string())),
        ("exemptions", pa.list_(pa.string())),
        ("processing_days", pa.int64()),
        ("data_version", pa.string()),
        ("error", pa.string()),
        ("record", pa.string()),
    ]
)


class RecordWriter:
    """Batch records (JSON, one per answered line) written to a Parquet file a row group at a time: ``done``
    records, ``errors`` of them error records, the last answering input line ``last_line`` (as
    :class:`clearance.batchfile.BatchOutput` counts them)."""

    def __init__(self, path: Path) -> None:
        try:
            self._writer = pq.ParquetWriter(path, SCHEMA)
        except (OSError, pa.ArrowException) as exc:
            raise InputError("--output", f"cannot write {str(path)!r}: {exc}") from None
        self._rows: list[dict[str, Any]] = []
        self.done = self.errors = self.last_line = 0

    def write(self, number: int, record: bytes, *, error: bool = False) -> None:
        """Add the record of input line ``number`` (a determination's, or an error record)."""
        self.done, self.errors, self.last_line = self.done + 1, self.errors + error, number
        self._add(record, orjson.loads(record), error)

    def write_many(self, data: bytes | memoryview, count: int, errors: int, last_line: int) -> None:
        """Add ``count`` records (``data``: each one line of JSON with its newline) answering the next input lines
        up to ``last_line``, ``errors`` of them error records (as :meth:`BatchOutput.write_many
        <clearance.batchfile.BatchOutput.write_many>`)."""
        self.done, self.errors, self.last_line = self.done + count, self.errors + errors, last_line
        for record in bytes(data).splitlines():
            found = orjson.loads(record)
            self._add(record, found, is_error_record(found))

    def _add(self, record: bytes, data: dict[str, Any], error: bool) -> None:
        row = {name: data.get(name) for name in SCHEMA.names if name not in ("error", "record")}
        if isinstance(row["date"], str):
            row["date"] = dt.date.fromisoformat(row["date"])
        row["error"] = data.get("message") if error else None
        row["record"] = record.decode()
        self._rows.append(row)
        if len(self._rows) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=SCHEMA))
            self._rows = []

    def close(self) -> None:
        """Write what is left and close the file."""
        self._flush()
        self._writer.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
