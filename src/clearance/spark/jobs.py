"""The Spark jobs as the CLI runs them: read IN, answer every line on the executors, replace OUT atomically, and
summarise what was written (read back from OUT, so the summary counts exactly the records in place)."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import InputError
from clearance.impact.analysis import Summary
from clearance.impact.portfolio import read_portfolio
from clearance.law.regulations import Regulations
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import ScreenConfig
from clearance.spark.determine import determine_frame
from clearance.spark.files import file_format, read_lines, write_atomically
from clearance.spark.impact import Dates, impact_frame
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
class ImpactSummary(Summary):
    """What an impact job wrote, counted as ``clearance impact --json`` counts its ``totals``; the order input's
    lines (blank ones included) and partitions."""

    lines: int
    partitions: int


def impact(
    spark: SparkSession,
    portfolio: str,
    target: str,
    regulations: Mapping[str, Regulations],
    dates: Dates,
    orders: str = "",
) -> ImpactSummary:
    """Assess every order line of the ``portfolio`` folder (its catalogue and customers, and its orders file, or
    ``orders``: JSON Lines or Parquet, a file or a directory of parts) under the law in force on two dates into
    ``target``: the rows ``clearance impact -o`` writes, as JSON Lines parts, or Parquet beside each row's
    ``record``."""
    from pyspark.sql import functions as F

    if dates.regime not in regulations:
        raise InputError("regime", f"no regime {dates.regime!r}: one of {', '.join(sorted(regulations))}")
    book = read_portfolio(Path(portfolio), regulations, orders=False)
    source = orders or str(Path(portfolio) / book.orders_file)
    if not orders and not book.orders_file.endswith((".jsonl", ".parquet")):
        raise InputError("orders", f"{book.orders_file}: a Spark job reads orders as JSON Lines or Parquet")
    lines = read_lines(spark, source)
    write_atomically(impact_frame(lines, book, regulations, dates), target)
    status = F.col("status")
    row = (
        _written(spark, target, "status string, late string")
        .agg(
            F.count(F.lit(1)).alias("read"),
            F.count_if(status != "error").alias("answered"),
            F.count_if(status == "error").alias("failed"),
            *(F.count_if(status == s).alias(s) for s in ("affected", "unaffected", "undecided")),
            F.count_if(F.col("late") == "yes").alias("late"),
        )
        .first()
    )
    assert row is not None
    counts = {name: int(value or 0) for name, value in row.asDict().items()}
    return ImpactSummary(**counts, lines=lines.numbering.count, partitions=len(lines.numbering.offsets))
