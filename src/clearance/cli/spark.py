"""``clearance spark``: the batch jobs on Apache Spark, locally or on a cluster (the optional ``spark`` extra;
PySpark is imported only when a command runs)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from clearance.cli._common import JsonFlag, emit, fail, optional_date, print_table, regulations
from clearance.cli.impact import print_by_destination, print_headline
from clearance.cli.screen import ListOption, ThresholdOption
from clearance.errors import ClearanceError
from clearance.problems import first_problem
from clearance.screening.matcher import DEFAULT_THRESHOLD, ScreenConfig

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="The batch jobs on Apache Spark (pip install 'clearance[spark]'; Java 17): see docs/scale.md.",
)

Source = Annotated[str, typer.Argument(metavar="IN", help="JSON Lines or Parquet: a file or a directory of parts.")]
Target = Annotated[
    str,
    typer.Argument(metavar="OUT", help="Output directory (Parquet if it ends in .parquet, else JSON Lines parts)."),
]
Master = Annotated[
    str,
    typer.Option(
        "--master", help="Spark master: local[N], spark://HOST:PORT, yarn, k8s://URL, or sc://HOST for Spark Connect."
    ),
]
SplitMb = Annotated[
    int,
    typer.Option("--split-mb", help="Input split size in MB (Spark's spark.sql.files.maxPartitionBytes; 0: Spark's)."),
]


def _session(master: str, split_mb: int) -> Any:
    """A session on ``master`` (a Spark session: PySpark is the spark part's to import)."""
    from clearance.spark.session import spark_session

    try:
        spark = spark_session(master)
    except ClearanceError as exc:
        fail(str(exc))
    if split_mb:
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(split_mb * 1024 * 1024))
    return spark


def _report(title: str, summary: Any, as_json: bool) -> None:
    data = dataclasses.asdict(summary)
    if as_json:
        emit(data)
    else:
        print_table(title, ["", "count"], [[k.replace("_", " "), v] for k, v in data.items()])


def _report_lines(source: str, target: str, summary: Any, as_json: bool) -> None:
    """Report a job whose every input line has an output record; exit 2 when some are error records."""
    _report(f"{source} → {target}", summary, as_json)
    if summary.errors:
        sys.stderr.write(f"{target}: {summary.errors} lines with error records\n")
        raise typer.Exit(2)


@app.command("determine")
def determine(
    source: Source,
    target: Target,
    master: Master = "local[*]",
    split_mb: SplitMb = 0,
    as_json: JsonFlag = False,
) -> None:
    """Determine every shipment line of IN on Spark and write one record per line to OUT.

    OUT holds the records `clearance determine --batch --json` writes (JSON Lines parts), or, for a
    .parquet OUT, columns position, ref, licence_required, basis, licence_options, destination_group,
    error and record. A rerun replaces OUT atomically. Exits 2 when a line has an error record.

        clearance spark determine orders.jsonl answers.parquet --master local[4]
    """
    from clearance.spark import jobs

    spark = _session(master, split_mb)
    try:
        summary = jobs.determine(spark, source, target, regulations())
    except ClearanceError as exc:
        fail(str(exc))
    _report_lines(source, target, summary, as_json)


@app.command("screen")
def screen(
    source: Source,
    target: Target,
    lists: ListOption = None,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates per party.")] = 10,
    master: Master = "local[*]",
    split_mb: SplitMb = 0,
    as_json: JsonFlag = False,
) -> None:
    """Screen every party line of IN (the keys of `clearance screen --batch`) on Spark, one record per line in OUT.

    The screening index is built once and shipped to each executor; nothing is filed in the review queue
    or the audit trail (screen the matched parties with `clearance screen` to file them). A .parquet OUT
    has columns position, party_key, matched, top_score, matches, error and record.

        clearance spark screen customers.jsonl screened.parquet --master spark://host:7077
    """
    from clearance.spark import jobs

    spark = _session(master, split_mb)
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=limit, on=dt.date.today())
    try:
        summary = jobs.screen(spark, source, target, lists or [], config)
    except ClearanceError as exc:
        fail(str(exc))
    _report_lines(source, target, summary, as_json)


@app.command("impact")
def impact(
    portfolio: Annotated[str, typer.Argument(metavar="PORTFOLIO", help="Folder with catalogue, customers, orders.")],
    target: Target,
    regime: Annotated[str, typer.Option("--regime", help="Regime id, e.g. jp.")] = "jp",
    before: Annotated[str, typer.Option("--before", help="Date of the law before the change.")] = "",
    after: Annotated[str, typer.Option("--after", help="Date of the law after the change.")] = "",
    scenario: Annotated[str, typer.Option("--scenario", help="A scenario YAML laid over the law known --before.")] = "",
    known_on: Annotated[str, typer.Option("--known-on", help="Warn about changes decided but not in force then.")] = "",
    acting_on: Annotated[
        str, typer.Option("--acting-on", help="Day deadlines are counted from (default: --before).")
    ] = "",
    orders: Annotated[
        str, typer.Option("--orders", help="The order lines, if not the folder's orders.jsonl or orders.parquet.")
    ] = "",
    master: Master = "local[*]",
    split_mb: SplitMb = 0,
    as_json: JsonFlag = False,
) -> None:
    """Assess every order line under two versions of the law on Spark, one row per line in OUT.

    The same comparisons as `clearance impact`: two dates, a scenario laid over the law known
    --before, or the changes pending on --known-on. OUT holds the rows `clearance impact -o FILE`
    writes (JSON Lines parts; a .parquet OUT has the same columns and record, the row as JSON); the
    catalogue and customers are read here and shipped to each executor. The summary (--json: that of
    `clearance impact --json` without its rows, plus the input's lines and partitions) is added up from
    OUT. Exits 1 when a row has an error, as `clearance impact` does.

        clearance spark impact examples/portfolio impact.parquet --before 2019-08-01 --after 2019-08-28
    """
    from clearance.impact.runs import ImpactRequest
    from clearance.law.scenario import read_scenario
    from clearance.spark import jobs

    try:
        request = ImpactRequest(
            regime=regime,
            before=optional_date(before, "--before"),
            after=optional_date(after, "--after"),
            known_on=optional_date(known_on, "--known-on"),
            acting_on=optional_date(acting_on, "--acting-on"),
        )
        laid = read_scenario(Path(scenario)) if scenario else None
        spark = _session(master, split_mb)
        summary = jobs.impact(spark, portfolio, target, regulations(), request, laid, orders)
    except ValidationError as exc:
        fail(str(first_problem(exc).error()))
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        emit(dataclasses.asdict(summary))
    else:
        print_headline(summary.regime, summary.before, summary.after, summary.counts)
        print_by_destination(summary.by_destination)
        sys.stdout.write(f"{summary.lines} input lines in {summary.partitions} partitions → {target}\n")
    if summary.totals["failed"]:
        raise typer.Exit(1)
