"""Parquet in and out for batches, streamed a row group at a time (pyarrow).

In, each row is the JSON object a JSON Lines batch would hold (struct columns are nested objects, a null cell an
absent field), so a Parquet batch goes through the same reading and gives the same answers and error records
as JSON Lines. Out, each record becomes a row: the columns an order book is filtered on (``position``, ``ref``,
``licence_required``, ``basis``...) beside the whole record as JSON (``record``); an error record (the same as in
JSON Lines) has its ``position`` and its message in ``error``.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import suppress
from decimal import Decimal
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from clearance.errors import InputError
from clearance.parquetfile import open_parquet, reading

#: Rows read from, or written to, a Parquet file at a time.
ROWS_PER_GROUP = 65_536
#: Bytes of records written to a Parquet file at most in one row group beyond the last slice added (a batch's
#: records are about 8 kB each: :data:`ROWS_PER_GROUP` of them would be held, 512 MB, before a row group is written).
GROUP_BYTES = 64 << 20


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


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import finder that does not find pandas."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name == "pandas":
            raise ModuleNotFoundError("pandas is kept out of this batch", name=name)
        return None


def arrow_without_pandas() -> None:
    """Keep pyarrow from importing pandas (about 35 MB at the peak of a Parquet batch) in a process that converts
    no pandas objects (a batch answered as columns, ``clearance determine --batch``): pyarrow looks for pandas
    once, the first time it converts a numpy array (its pandas shim) or Python values (arrow_python's pandas
    data), to recognise pandas' objects, and it is made not to find it then. pandas imported later works, but
    pyarrow then does not recognise its objects (``pandas.NaT``) in that process. Nothing is done once pandas is
    imported."""
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array(np.zeros(0))
        pa.array([True]).to_numpy(zero_copy_only=False)
    finally:
        sys.meta_path.remove(finder)


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
            # decoded on this thread alone: arrow's threads decoding columns at once held more memory (1,000,000
            # lines: peak RSS 317 -> 290 MB, docs/benchmarks.md)
            for batch in parquet.iter_batches(batch_size=ROWS_PER_GROUP, use_threads=False):
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


#: The columns of :data:`SCHEMA` as arrow's JSON reader reads them from the records: ``date`` as text (cast to a
#: date), an error record's ``message`` (the ``error`` column; an answer has none), ``record`` not read.
_READ = pa.schema(
    [
        *(pa.field(name, pa.string()) if name == "date" else SCHEMA.field(name) for name in SCHEMA.names[:-2]),
        ("message", pa.string()),
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
        self._tables: list[pa.Table] = []
        self._rows = 0
        self.done = self.errors = self.last_line = 0

    def write(self, number: int, record: bytes, *, error: bool = False) -> None:
        """Add the record of input line ``number`` (a determination's, or an error record)."""
        self.write_many(record + b"\n", 1, int(error), number)

    def write_many(self, data: bytes | memoryview, count: int, errors: int, last_line: int) -> None:
        """Add ``count`` records (``data``: each one line of JSON with its newline) answering the next input lines
        up to ``last_line``, ``errors`` of them error records (as :meth:`BatchOutput.write_many
        <clearance.batchfile.BatchOutput.write_many>`): the columns read by arrow's JSON reader, not as Python
        objects."""
        self.done, self.errors, self.last_line = self.done + count, self.errors + errors, last_line
        if not count:
            return
        buffer = pa.py_buffer(data)
        read = pa_json.read_json(
            pa.BufferReader(buffer),
            read_options=pa_json.ReadOptions(use_threads=False, block_size=buffer.size + 1),
            parse_options=pa_json.ParseOptions(explicit_schema=_READ, unexpected_field_behavior="ignore"),
        )
        ends = np.zeros(count + 1, np.int32)
        ends[1:] = np.flatnonzero(np.frombuffer(buffer, np.uint8) == ord("\n")) + 1
        lines = pa.Array.from_buffers(pa.binary(), count, [None, pa.py_buffer(ends), buffer])
        columns = [read.column(name) for name in SCHEMA.names[:-2]]
        columns[SCHEMA.get_field_index("date")] = read.column("date").cast(pa.date32())
        records = pc.binary_slice(lines, 0, -1).cast(pa.string())  # each record without its newline
        self._add(pa.Table.from_arrays([*columns, read.column("message"), records], schema=SCHEMA))

    def _add(self, table: pa.Table) -> None:
        """Add rows, writing a row group of :data:`ROWS_PER_GROUP` rows whenever there are as many, and the rows
        held as one row group once they reach :data:`GROUP_BYTES`."""
        self._tables.append(table)
        self._rows += table.num_rows
        while self._rows >= ROWS_PER_GROUP:
            rows = pa.concat_tables(self._tables)
            self._writer.write_table(rows.slice(0, ROWS_PER_GROUP))
            self._tables, self._rows = [rows.slice(ROWS_PER_GROUP)], self._rows - ROWS_PER_GROUP
        if sum(held.nbytes for held in self._tables) >= GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(pa.concat_tables(self._tables))
            self._tables, self._rows = [], 0

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
