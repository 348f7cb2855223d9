"""Impact runs over a Spark DataFrame of order lines: each partition assesses its lines under the law in force on
two dates with the functions ``clearance impact`` calls (:func:`clearance.impact.analysis.line_impact`), the
catalogue and customers (small) and the packs shipped to each executor once, and writes each line's row exactly as
``clearance impact -o FILE.jsonl`` writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from clearance.impact.analysis import LineImpact, failed_line, line_impact
from clearance.impact.portfolio import Order, Portfolio, read_row
from clearance.impact.report import COLUMNS, line_row
from clearance.impact.runs import in_force
from clearance.law import RegulationSet
from clearance.law.regulations import Regulations
from clearance.spark.arrow import record_batches, spark_schema
from clearance.spark.determine import line_bytes
from clearance.spark.files import Lines, Numbering
from clearance.spark.law import Packs
from clearance.spark.session import Given, Shared
from clearance.tables import RowProblem, json_row, jsonl_cells, report_cell

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

#: The columns of ``clearance impact -o FILE.parquet`` that hold whole numbers (the others hold text).
NUMBERS = ("position", "lead_time_days_before", "lead_time_days_after")


def schema() -> pa.Schema:
    """The output's columns: those of ``clearance impact -o FILE.parquet``, then ``record``: the line's row as
    ``clearance impact -o FILE.jsonl`` writes it."""
    import pyarrow as pa

    columns = [(c, pa.int64() if c in NUMBERS else pa.string()) for c in COLUMNS]
    return pa.schema([*columns, ("record", pa.string())])


@dataclass(frozen=True, slots=True)
class Dates:
    """What an impact job compares: the law of ``regime`` in force on ``before`` and on ``after``; a line that
    needs a longer review had to be applied for before ``acting_on`` to be on time."""

    regime: str
    before: dt.date
    after: dt.date
    acting_on: dt.date


def impact_frame(lines: Lines, book: Portfolio, regulations: Mapping[str, Regulations], dates: Dates) -> DataFrame:
    """One row of :func:`schema` per order line (non-blank input line), then one per unreadable row of the
    catalogue and customers files, in the order of ``clearance impact``'s report."""
    spark = lines.frame.sparkSession
    shared = Shared.of(spark, Given(book))
    packs = Shared.of(spark, Packs.of(regulations))
    assess = partial(_assess_partition, packs, shared, lines.numbering, dates)
    frame = lines.frame.mapInArrow(assess, spark_schema(schema()))
    others = sorted((failed_line(p, book) for p in book.problems), key=lambda line: (line.file, line.row))
    if not others:
        return frame
    return frame.union(spark.createDataFrame([row(line) for line in others], spark_schema(schema())))


def _assess_partition(
    packs: Shared[RegulationSet],
    book: Shared[Portfolio],
    numbering: Numbering,
    dates: Dates,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Assess one partition's order lines, numbered on from the lines of the partitions before it."""
    portfolio = book.value
    before, after = in_force(packs.value[dates.regime], dates.before, dates.after)
    fields = tuple(Order.model_fields)

    def assessed(number: int, line: bytes) -> LineImpact:
        read = read_row(Order, portfolio.orders_file, number, jsonl_cells(line, "orders", fields))
        if isinstance(read, RowProblem):
            return failed_line(read, portfolio)
        return line_impact(dates.regime, number, read, portfolio, before, after, dates.acting_on)

    numbered = enumerate(line_bytes(batches), start=numbering.first())
    yield from record_batches((row(assessed(n, line)) for n, line in numbered if line.strip()), schema())


def row(line: LineImpact) -> tuple[Any, ...]:
    """The output row of one line of the report."""
    cells = line_row(line)
    return (*(report_cell(cells[c]) for c in COLUMNS), json_row(COLUMNS, cells).decode())
