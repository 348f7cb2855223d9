"""Rows of a job's answers to Arrow batches, and a job's Arrow schema as Spark's (one definition for both)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql.types import StructType

#: Rows per Arrow batch handed back to Spark.
BATCH_ROWS = 5_000


def record_batches(rows: Iterable[tuple[Any, ...]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """``rows`` (tuples in the order of ``schema``'s fields; a text field's value may be UTF-8 bytes, taken as text
    without a decoded copy) as Arrow batches of at most :data:`BATCH_ROWS` rows."""
    import pyarrow as pa

    it = iter(rows)
    while chunk := list(islice(it, BATCH_ROWS)):
        columns = zip(*chunk, strict=True)
        yield pa.RecordBatch.from_arrays(
            [pa.array(values, type=f.type) for values, f in zip(columns, schema, strict=True)], schema=schema
        )


def spark_schema(schema: pa.Schema) -> StructType:
    """The Spark schema of an Arrow schema."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
