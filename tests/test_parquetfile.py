"""Parquet files opened one way (clearance.parquetfile): read a row group at a time, errors naming the file."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clearance.errors import InputError
from clearance.parquetfile import open_parquet, reading


def _incompressible(path: Path, rows: int, groups: int) -> None:
    """``groups`` row groups of ``rows`` rows, 100 bytes a row that do not compress."""
    shuffled = random.Random(13)
    with pq.ParquetWriter(path, pa.schema([("ref", pa.string())])) as writer:
        for _ in range(groups):
            writer.write_table(pa.table({"ref": [shuffled.randbytes(50).hex() for _ in range(rows)]}))


@pytest.mark.parametrize("in_memory", [False, True])
def test_a_parquet_file_is_read_without_keeping_the_row_groups_read(tmp_path: Path, in_memory: bool) -> None:
    # pyarrow's pre-buffering (its default) keeps every chunk read until the file is closed (apache/arrow#39808):
    # the arrow memory held grew to the whole file
    path, rows, groups = tmp_path / "big.parquet", 2_000, 40
    _incompressible(path, rows, groups)
    parquet = open_parquet(path, "FILE", path.read_bytes() if in_memory else None)
    before, held = pa.total_allocated_bytes(), 0
    for batch in parquet.iter_batches(batch_size=rows):
        held = max(held, pa.total_allocated_bytes() - before)
        assert batch.num_rows == rows
    assert held < 8 * path.stat().st_size // groups


def test_a_file_that_is_not_parquet_is_an_input_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    path.write_text("ref,regime\nA-1,jp\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^orders: orders\.parquet: not a readable Parquet file \(") as raised:
        open_parquet(path, "orders")
    assert raised.value.field == "orders"
    with pytest.raises(InputError, match=r"^FILE: orders\.parquet: not a readable Parquet file"):
        open_parquet(path, "FILE", path.read_bytes())


def test_arrow_errors_while_reading_are_input_errors_naming_the_file(tmp_path: Path) -> None:
    broken = r"^parties: p\.parquet: not a readable Parquet file \(broken page\)"
    with pytest.raises(InputError, match=broken), reading(tmp_path / "p.parquet", "parties"):
        raise pa.ArrowInvalid("broken page")
    with pytest.raises(KeyError), reading(tmp_path / "p.parquet", "parties"):  # not arrow's: left as it is
        raise KeyError("ref")
