"""Inputs and outputs of the Spark jobs: JSON Lines or Parquet (a file or a directory of part files), chosen by
the name, read as numbered JSON lines; outputs replaced atomically, so a job that fails midway leaves the previous
output whole and a rerun replaces it.

Lines are numbered as the single-process commands number them (from 1 in file order, blank lines counted and not
answered; a directory's part files in name order) without gathering them on one machine: one pass counts the
lines of each input partition, and each partition then numbers its own from its offset (:class:`Lines`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from clearance.spark.session import is_connect

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Format = Literal["parquet", "jsonl"]


def file_format(path: str) -> Format:
    """Parquet for a ``.parquet`` name or a local directory of ``.parquet`` parts; JSON Lines otherwise."""
    if path.rstrip("/").lower().endswith(".parquet"):
        return "parquet"
    local = Path(path)
    return "parquet" if local.is_dir() and any(local.glob("*.parquet")) else "jsonl"


@dataclass(frozen=True)
class Numbering:
    """How many lines come before each partition of an input (what each partition's task is given)."""

    offsets: dict[int, int]
    count: int

    def shift(self, partition: int) -> int:
        """What to add to a line's number within ``partition`` to number it within the input."""
        return self.offsets.get(partition, self.count)

    def first(self) -> int:
        """The number of the first line of the partition the running task reads."""
        from pyspark import TaskContext

        context = TaskContext.get()
        return self.shift(context.partitionId() if context else 0) + 1


@dataclass(frozen=True)
class Lines:
    """An input as one ``line`` column of JSON text, and its :class:`Numbering`."""

    frame: DataFrame
    numbering: Numbering


def read_lines(spark: SparkSession, path: str) -> Lines:
    """The lines of ``path``: JSON Lines as they are, Parquet rows as JSON objects (nested columns as objects,
    null columns left out, dates as ISO text)."""
    from pyspark.sql import functions as F

    if file_format(path) == "parquet":
        table = spark.read.parquet(path)
        frame = table.select(F.to_json(F.struct(*[F.col(c) for c in table.columns])).alias("line"))
    else:
        frame = spark.read.text(path).withColumnRenamed("value", "line")
    counted = sorted(frame.groupBy(F.spark_partition_id().alias("p")).count().collect())
    offsets: dict[int, int] = {}
    total = 0
    for partition, lines in counted:
        offsets[partition] = total
        total += lines
    return Lines(frame, Numbering(offsets, total))


def write_atomically(frame: DataFrame, path: str, record: str = "record") -> None:
    """Write ``frame`` to ``path`` (Parquet: every column; JSON Lines: the ``record`` column, one JSON text a line)
    in a staging directory beside it, then put it in place of what was there. Under Spark Connect, which cannot
    rename, Spark's own overwrite is used (not atomic)."""
    spark = frame.sparkSession
    fmt = file_format(path)
    if is_connect(spark):
        _write(frame, path, fmt, record, "overwrite")
        return
    files = _HadoopFiles(spark, path)
    staging = f"{path.rstrip('/')}.__writing"
    files.delete(staging)  # what a failed run left
    _write(frame, staging, fmt, record, "errorifexists")
    files.replace(staging, path)


def _write(frame: DataFrame, path: str, fmt: Format, record: str, mode: str) -> None:
    if fmt == "parquet":
        frame.write.mode(mode).parquet(path)
    else:
        frame.select(record).write.mode(mode).text(path)


class _HadoopFiles:
    """The file system of a path as Spark sees it (local, HDFS, S3...), through Hadoop's API."""

    def __init__(self, spark: SparkSession, path: str) -> None:
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        self._path = jvm.org.apache.hadoop.fs.Path
        self.fs = self._path(path).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def delete(self, path: str) -> None:
        self.fs.delete(self._path(path), True)

    def replace(self, source: str, target: str) -> None:
        """Move ``source`` to ``target``, the old ``target`` out of the way first and deleted last."""
        old = f"{target.rstrip('/')}.__old-{uuid.uuid4().hex}"
        if self.fs.exists(self._path(target)):
            self.fs.rename(self._path(target), self._path(old))
        if not self.fs.rename(self._path(source), self._path(target)):
            raise OSError(f"{target}: could not move the new output in place (it is in {source})")
        self.delete(old)
