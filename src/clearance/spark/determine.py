"""Determinations over a Spark DataFrame: each partition answers its lines with
:func:`clearance.engine.batch.determine_lines` (the ``clearance determine --batch`` path: the same reading, the same
memo of answers per snapshot of the law, the same records), the packs shipped to each executor once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from clearance.checks import SCREENER, read_shipment
from clearance.engine.batch import determine_lines
from clearance.engine.encode import line_json
from clearance.engine.result import Determination
from clearance.law import RegulationSet
from clearance.law.regulations import Regulations
from clearance.problems import BatchError
from clearance.spark.arrow import record_batches, spark_schema
from clearance.spark.files import Lines, Numbering
from clearance.spark.law import Packs
from clearance.spark.session import Shared

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame


def schema() -> pa.Schema:
    """The output's columns: the answer's position (its input line number) and the fields a data engineer filters
    on, then ``record``: the line's whole record exactly as ``clearance determine --batch --json`` writes it."""
    import pyarrow as pa

    texts = pa.list_(pa.string())
    return pa.schema(
        [
            ("position", pa.int64()),
            ("ref", pa.string()),
            ("licence_required", pa.bool_()),
            ("basis", texts),
            ("licence_options", texts),
            ("destination_group", pa.string()),
            ("error", pa.string()),
            ("record", pa.string()),
        ]
    )


def determine_frame(lines: Lines, regulations: Mapping[str, Regulations]) -> DataFrame:
    """One row of :func:`schema` per non-blank input line, in input order within each partition."""
    packs = Shared.of(lines.frame.sparkSession, Packs.of(regulations))
    return lines.frame.mapInArrow(partial(_answer_partition, packs, lines.numbering), spark_schema(schema()))


def _answer_partition(
    packs: Shared[RegulationSet], numbering: Numbering, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Answer one partition's lines, numbered on from the lines of the partitions before it."""
    from pyspark import TaskContext

    context = TaskContext.get()
    shift = numbering.shift(context.partitionId() if context else 0)
    answers = determine_lines(_texts(batches), packs.value, read_shipment, SCREENER)
    yield from record_batches((_row(number + shift, result) for number, result in answers), schema())


def _texts(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """The lines as bytes, as the CLI reads them (so a byte-order mark is handled alike)."""
    for batch in batches:
        for text in batch.column(0).to_pylist():
            yield (text or "").encode()


def _row(position: int, result: Determination | BatchError) -> tuple[Any, ...]:
    if isinstance(result, BatchError):
        result = replace(result, position=position)
        return (position, None, None, None, None, None, result.problem.message, line_json(position, result).decode())
    return (
        position,
        result.ref,
        result.licence_required,
        list(result.basis),
        list(result.licence_options),
        result.destination_group,
        None,
        line_json(position, result).decode(),
    )
