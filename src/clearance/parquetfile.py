"""Parquet files opened one way for every reader (a batch's rows, the tables of parties, orders and catalogues):
read a row group at a time, arrow's errors as :class:`~clearance.errors.InputError`. pyarrow loads only when a
Parquet file is opened.

Files are read without pre-buffering: its cache keeps every chunk of the file read until the file is closed
(apache/arrow#39808: 180 MB of arrow memory after 10,000,000 lines, growing with them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import InputError

if TYPE_CHECKING:
    import pyarrow.parquet as pq


def open_parquet(path: Path, what: str, data: bytes | None = None) -> pq.ParquetFile:
    """The Parquet file ``path`` (its bytes ``data`` when given), opened without pre-buffering;
    :class:`InputError` on ``what`` if it cannot be read as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with reading(path, what):
        return pq.ParquetFile(path if data is None else pa.BufferReader(data), pre_buffer=False)


@contextmanager
def reading(path: Path, what: str) -> Iterator[None]:
    """Arrow's errors while reading the Parquet file ``path`` as :class:`InputError` on ``what``."""
    import pyarrow as pa

    try:
        yield
    except (OSError, pa.ArrowException) as exc:
        raise InputError(what, f"{path.name}: not a readable Parquet file ({exc})") from None
