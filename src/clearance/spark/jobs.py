"""The Spark jobs as the CLI runs them: read IN, answer every line on the executors, replace OUT atomically, and
summarise what was written (read back from OUT, so the summary counts exactly the records in place)."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError
from clearance.impact.analysis import Summary, Total, citations
from clearance.impact.portfolio import read_portfolio
from clearance.impact.runs import ImpactRequest, comparison
from clearance.law.regulations import Regulations
from clearance.law.scenario import Scenario
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import ScreenConfig
from clearance.spark.determine import determine_frame
from clearance.spark.files import file_format, read_lines, write_atomically
from clearance.spark.impact import TALLIED, Tally, impact_frame, tally_partition
from clearance.spark.law import Compared
from clearance.spark.screen import screen_frame

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


@dataclass(frozen=True, slots=True)
class DetermineSummary:
    """What a determination job wrote: records, and how many need a licence, need none, are undecided or are
    error records; the input's lines (blank ones included) and partitions."""

    lines: int
    partitions: int
    records: int
    required: int
    not_required: int
    undecided: int
    errors: int


def determine(
    spark: SparkSession, source: str, target: str, regulations: Mapping[str, Regulations]
) -> DetermineSummary:
    """Determine every line of ``source`` into ``target`` (JSON Lines records as ``clearance determine --batch
    --json`` writes them, or Parquet with the answer's main fields beside each record)."""
    lines = read_lines(spark, source)
    write_atomically(determine_frame(lines, regulations), target)
    counts = _determine_counts(_written(spark, target, "licence_required boolean, data_version string"))
    return DetermineSummary(lines.numbering.count, len(lines.numbering.offsets), **counts)


def _written(spark: SparkSession, target: str, json_fields: str) -> DataFrame:
    """The output in place: Parquet as written, JSON Lines with only ``json_fields`` parsed."""
    if file_format(target) == "parquet":
        return spark.read.parquet(target)
    return spark.read.schema(json_fields).json(target)


def _determine_counts(written: DataFrame) -> dict[str, int]:
    from pyspark.sql import functions as F

    error = F.col("error").isNotNull() if "error" in written.columns else F.col("data_version").isNull()
    required = F.col("licence_required")
    row = written.agg(
        F.count(F.lit(1)).alias("records"),
        F.count_if(required & ~error).alias("required"),
        F.count_if(~required & ~error).alias("not_required"),
        F.count_if(required.isNull() & ~error).alias("undecided"),
        F.count_if(error).alias("errors"),
    ).first()
    assert row is not None
    return {name: int(row[name] or 0) for name in ("records", "required", "not_required", "undecided", "errors")}


@dataclass(frozen=True, slots=True)
class ScreenSummary:
    """What a screening job wrote: records, parties with matches, error records; the index's size as shipped."""

    lines: int
    partitions: int
    index_bytes: int
    records: int
    matched: int
    errors: int


def screen(
    spark: SparkSession, source: str, target: str, list_ids: Sequence[str] = (), config: ScreenConfig | None = None
) -> ScreenSummary:
    """Screen every party line of ``source`` against the bundled lists (all, or ``list_ids``) into ``target``."""
    from pyspark.sql import functions as F

    index = ScreeningIndex.build(load_bundled(i) for i in sorted(list_ids or bundled_ids()))
    lines = read_lines(spark, source)
    write_atomically(screen_frame(lines, index, config or ScreenConfig(on=dt.date.today())), target)
    written = _written(spark, target, "matched boolean, party_key string")
    error = F.col("error").isNotNull() if "error" in written.columns else F.col("party_key").isNull()
    row = written.agg(
        F.count(F.lit(1)).alias("records"), F.count_if(F.col("matched")).alias("matched"), F.count_if(error)
    ).first()
    assert row is not None
    size = len(pickle.dumps(index))  # what the broadcast ships
    counts = (int(value or 0) for value in row)
    return ScreenSummary(lines.numbering.count, len(lines.numbering.offsets), size, *counts)


@dataclass(frozen=True, slots=True)
class ImpactSummary:
    """What an impact job wrote, summed up as ``clearance impact --json`` sums up its report (everything but the
    rows, which are in OUT); the order input's lines (blank ones included) and partitions."""

    regime: str
    before: str
    after: str
    acting_on: dt.date
    data_versions: tuple[str, str]
    totals: dict[str, Any]
    by_destination: dict[str, Total]
    by_product: dict[str, Total]
    by_customer: dict[str, Total]
    citations: dict[str, dict[str, Any]]
    lines: int
    partitions: int

    @property
    def counts(self) -> Summary:
        """The counts of :attr:`totals`."""
        return Summary(**{k: v for k, v in self.totals.items() if k != "affected_value"})


def impact(
    spark: SparkSession,
    portfolio: str,
    target: str,
    regulations: Mapping[str, Regulations],
    request: ImpactRequest,
    scenario: Scenario | None = None,
    orders: str = "",
) -> ImpactSummary:
    """Assess every order line of the ``portfolio`` folder (its catalogue and customers, and its orders file, or
    ``orders``: JSON Lines or Parquet, a file or a directory of parts) under the two versions of the law
    ``request`` compares (two dates, a scenario, or pending changes; ``scenario``: one already read) into
    ``target``: the rows ``clearance impact -o`` writes, as JSON Lines parts, or Parquet beside each row's
    ``record``."""
    compared = comparison(request, scenario)
    book = read_portfolio(Path(portfolio), regulations, orders=False)
    source = orders or str(Path(portfolio) / book.orders_file)
    if not orders and not book.orders_file.endswith((".jsonl", ".parquet")):
        raise InputError("orders", f"{book.orders_file}: a Spark job reads orders as JSON Lines or Parquet")
    lines = read_lines(spark, source)
    write_atomically(impact_frame(lines, book, Compared.of(compared, request, scenario)), target)
    fields = ", ".join(f"{c} string" for c in TALLIED)
    partials = _written(spark, target, fields).select(*TALLIED).mapInArrow(tally_partition, "tally binary")
    found = Tally()
    for row in partials.collect():
        found.merge(pickle.loads(row.tally))  # written by this job's own tasks
    return ImpactSummary(
        compared.regime,
        compared.before.label,
        compared.after.label,
        compared.acting_on,
        compared.data_versions,
        found.totals(),
        found.by("by_destination"),
        found.by("by_product"),
        found.by("by_customer"),
        citations(sorted(found.cited), compared.before, compared.after),
        lines.numbering.count,
        len(lines.numbering.offsets),
    )
