"""``clearance spark``: the batch jobs on Apache Spark, locally or on a cluster (the optional ``spark`` extra;
PySpark is imported only when a command runs)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from clearance.cli._common import JsonFlag, ProgressFlag, emit, fail, print_table, regulations
from clearance.cli.impact import (
    ActingOnOption,
    AfterOption,
    BeforeOption,
    KnownOnOption,
    RegimeOption,
    ScenarioOption,
    impact_request,
    print_by_destination,
    print_headline,
)
from clearance.cli.screen import ListOption, ThresholdOption
from clearance.errors import ClearanceError
from clearance.problems import first_problem
from clearance.render import batch_progress
from clearance.screening.matcher import DEFAULT_THRESHOLD, ScreenConfig

if TYPE_CHECKING:
    from clearance.spark.progress import Watch

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


def _watch(label: str, show: bool | None) -> Watch:
    """How a job shows its progress: the lines done (about, a partition at a time), rate and time left on stderr,
    as the single-process batches show theirs."""
    return partial(batch_progress, label, show=show)


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
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Determine every shipment line of IN on Spark and write one record per line to OUT.

    OUT holds the records `clearance determine --batch --json` writes (JSON Lines parts), or, for a
    .parquet OUT, columns position, ref, licence_required, basis, licence_options, destination_group,
    error and record. A rerun replaces OUT atomically. Exits 2 when a line has an error record.
    Progress (lines, rate, time left; a partition at a time) is shown on stderr when it is a
    terminal, or with --progress.

        clearance spark determine orders.jsonl answers.parquet --master local[4]
    """
    from clearance.spark import jobs

    spark = _session(master, split_mb)
    try:
        summary = jobs.determine(spark, source, target, regulations(), _watch("Determining", progress))
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
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Screen every party line of IN (the keys of `clearance screen --batch`) on Spark, one record per line in OUT.

    The screening index is built once and shipped to each executor; nothing is filed in the review queue
    or the audit trail (screen the matched parties with `clearance screen` to file them). A .parquet OUT
    has columns position, party_key, matched, top_score, matches, error and record.
    Progress (lines, rate, time left; a partition at a time) is shown on stderr when it is a
    terminal, or with --progress.

        clearance spark screen customers.jsonl screened.parquet --master spark://host:7077
    """
    from clearance.spark import jobs

    spark = _session(master, split_mb)
    config = ScreenConfig(threshold=threshold, cutoff=min(0.5, threshold), limit=limit, on=dt.date.today())
    try:
        summary = jobs.screen(spark, source, target, lists or [], config, _watch("Screening", progress))
    except ClearanceError as exc:
        fail(str(exc))
    _report_lines(source, target, summary, as_json)


@app.command("impact")
def impact(
    portfolio: Annotated[str, typer.Argument(metavar="PORTFOLIO", help="Folder with catalogue, customers, orders.")],
    target: Target,
    regime: RegimeOption = "jp",
    before: BeforeOption = "",
    after: AfterOption = "",
    scenario: ScenarioOption = "",
    known_on: KnownOnOption = "",
    acting_on: ActingOnOption = "",
    orders: Annotated[
        str, typer.Option("--orders", help="The order lines, if not the folder's orders.jsonl or orders.parquet.")
    ] = "",
    master: Master = "local[*]",
    split_mb: SplitMb = 0,
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Assess every order line under two versions of the law on Spark, one row per line in OUT.

    The same comparisons as `clearance impact`: two dates, a scenario laid over the law known
    --before, or the changes pending on --known-on. OUT holds the rows `clearance impact -o FILE`
    writes (JSON Lines parts; a .parquet OUT has the same columns and record, the row as JSON); the
    catalogue and customers are read here and shipped to each executor. The summary (--json: that of
    `clearance impact --json` without its rows, plus the input's lines and partitions) is added up from
    OUT. Exits 1 when a row has an error, as `clearance impact` does.
    Progress (lines, rate, time left; a partition at a time) is shown on stderr when it is a
    terminal, or with --progress.

        clearance spark impact examples/portfolio impact.parquet --before 2019-08-01 --after 2019-08-28
    """
    from clearance.law.scenario import read_scenario
    from clearance.spark import jobs

    try:
        request = impact_request(regime, before, after, known_on, acting_on)
        laid = read_scenario(Path(scenario)) if scenario else None
        spark = _session(master, split_mb)
        watch = _watch("Assessing", progress)
        summary = jobs.impact(spark, portfolio, target, regulations(), request, laid, orders, watch)
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
