"""Impact runs over a Spark DataFrame of order lines: each partition assesses its lines under the two versions of
the law ``clearance impact`` compares (two dates, a scenario, or pending changes:
:class:`clearance.impact.runs.Comparison`) as it does, by distinct keys (one :class:`clearance.impact.analysis.Impacts`
per partition), the catalogue and customers (small) and the packs shipped to each executor once, and writes each
line's row exactly as ``clearance impact -o FILE.jsonl`` writes it; the report's totals are added up per partition
from the rows written (:class:`Tally`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from clearance.impact.analysis import Impacts, LineImpact, Total, failed_line
from clearance.impact.portfolio import Order, Portfolio, read_row
from clearance.impact.report import COLUMNS, line_row
from clearance.impact.runs import Comparison
from clearance.spark.arrow import record_batches, spark_schema
from clearance.spark.determine import line_bytes
from clearance.spark.files import Lines, Numbering
from clearance.spark.law import Compared
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


def impact_frame(lines: Lines, book: Portfolio, compared: Compared) -> DataFrame:
    """One row of :func:`schema` per order line (non-blank input line), then one per unreadable row of the
    catalogue and customers files, in the order of ``clearance impact``'s report."""
    spark = lines.frame.sparkSession
    shared = Shared.of(spark, Given(book))
    law = Shared.of(spark, compared)
    assess = partial(_assess_partition, law, shared, lines.numbering)
    frame = lines.frame.mapInArrow(assess, spark_schema(schema()))
    others = sorted((failed_line(p, book) for p in book.problems), key=lambda line: (line.file, line.row))
    if not others:
        return frame
    return frame.union(spark.createDataFrame([row(line) for line in others], spark_schema(schema())))


def _assess_partition(
    law: Shared[Comparison],
    book: Shared[Portfolio],
    numbering: Numbering,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Assess one partition's order lines, numbered on from the lines of the partitions before it."""
    portfolio = book.value
    c = law.value
    impacts = Impacts(c.regime, portfolio, c.before, c.after, c.acting_on)
    fields = tuple(Order.model_fields)

    def assessed(number: int, line: bytes) -> LineImpact:
        read = read_row(Order, portfolio.orders_file, number, jsonl_cells(line, "orders", fields))
        if isinstance(read, RowProblem):
            return failed_line(read, portfolio)
        return impacts.line(number, read)

    numbered = enumerate(line_bytes(batches), start=numbering.first())
    yield from record_batches((row(assessed(n, line)) for n, line in numbered if line.strip()), schema())


def row(line: LineImpact) -> tuple[Any, ...]:
    """The output row of one line of the report."""
    cells = line_row(line)
    return (*(report_cell(cells[c]) for c in COLUMNS), json_row(COLUMNS, cells).decode())


#: The report's totals by key, and the column of the rows each is keyed by.
BY = {"by_destination": "destination", "by_product": "part_number", "by_customer": "customer_id"}
#: The columns of the rows written that :class:`Tally` reads.
TALLIED = ("status", "late", "currency", "order_value", "citations", *BY.values())


@dataclass
class Tally:
    """The totals of ``clearance impact``'s report (:func:`clearance.impact.report.model`: ``totals`` and the
    totals by destination, product and customer) added up from rows written; tallies of partitions add up."""

    statuses: Counter[str] = field(default_factory=Counter)
    late: int = 0
    value: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    values: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)
    cited: set[str] = field(default_factory=set)

    def add(self, row: Mapping[str, Any]) -> None:
        """Count one row of the report."""
        status = row["status"]
        self.statuses[status] += 1
        self.late += row["late"] == "yes"
        affected = status == "affected" and bool(row["order_value"])
        amounts = {row["currency"]: Decimal(row["order_value"])} if affected else {}
        _add(self.value, amounts)
        self.cited.update((row["citations"] or "").split())
        for name, column in BY.items():
            key = (name, row[column] or "?")
            self.counts.setdefault(key, Counter()).update(("lines", status))
            _add(self.values.setdefault(key, {}), amounts)

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts to these."""
        self.statuses.update(other.statuses)
        self.late += other.late
        _add(self.value, other.value)
        for key, counts in other.counts.items():
            self.counts.setdefault(key, Counter()).update(counts)
        for key, amounts in other.values.items():
            _add(self.values.setdefault(key, {}), amounts)
        self.cited |= other.cited

    def totals(self) -> dict[str, Any]:
        """``totals`` as ``clearance impact --json`` has it."""
        s = self.statuses
        answered = s["affected"] + s["unaffected"] + s["undecided"]
        return {
            "read": answered + s["error"],
            "answered": answered,
            "failed": s["error"],
            "affected": s["affected"],
            "unaffected": s["unaffected"],
            "undecided": s["undecided"],
            "late": self.late,
            "affected_value": self.value,
        }

    def by(self, name: str) -> dict[str, Total]:
        """The totals by destination, product or customer (``name`` a key of :data:`BY`), sorted by key."""
        found = sorted((key, c) for (kind, key), c in self.counts.items() if kind == name)
        return {k: Total(c["lines"], c["affected"], c["undecided"], c["error"], self.values[name, k]) for k, c in found}


def _add(amounts: dict[str, Decimal], more: Mapping[str, Decimal]) -> None:
    for currency, amount in more.items():
        amounts[currency] = amounts.get(currency, Decimal()) + amount


def tally(rows: Iterable[Mapping[str, Any]]) -> Tally:
    """The tally of ``rows``."""
    found = Tally()
    for row in rows:
        found.add(row)
    return found


def tally_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One partition's :class:`Tally`, pickled in one row (the driver adds the partitions' tallies up)."""
    import pickle

    import pyarrow as pa

    found = tally(row for batch in batches for row in batch.to_pylist())
    yield pa.RecordBatch.from_pylist([{"tally": pickle.dumps(found)}], schema=pa.schema([("tally", pa.binary())]))
