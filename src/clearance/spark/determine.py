"""Determinations over a Spark DataFrame: each partition answers its lines by distinct keys with
:class:`clearance.engine.keyed.Keyed` (the ``clearance determine --batch`` path: the same reading, each distinct key
answered once per partition, the same records byte for byte), the packs shipped to each executor once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from clearance.checks import SCREENER, read_shipment
from clearance.engine.encode import line_json
from clearance.engine.keyed import Keyed
from clearance.errors import ClearanceError
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


@dataclass(frozen=True)
class Answering:
    """A recipe (:class:`clearance.spark.session.Recipe`) for what answers a job's lines on a Python worker: one
    :class:`Keyed` over the shipped packs, kept for every partition the worker answers (as the CLI keeps one for
    its whole batch), so that each distinct key is decided, its record template made and each party screened
    once per worker, not once per partition (memory stays bounded: :data:`clearance.engine.keyed.KEY_LIMIT`)."""

    packs: Packs

    def build(self) -> Keyed:
        """The worker's :class:`Keyed`."""
        return Keyed(self.packs.build(), SCREENER)


def determine_frame(lines: Lines, regulations: Mapping[str, Regulations]) -> DataFrame:
    """One row of :func:`schema` per non-blank input line, in input order within each partition."""
    keyed = Shared.of(lines.frame.sparkSession, Answering(Packs.of(regulations)))
    return lines.frame.mapInArrow(partial(_answer_partition, keyed, lines.numbering), spark_schema(schema()))


def _answer_partition(
    shared: Shared[Keyed], numbering: Numbering, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Answer one partition's lines, numbered on from the lines of the partitions before it."""
    first = numbering.first()
    keyed = shared.value
    rows = (_row(keyed, number, line) for number, line in enumerate(line_bytes(batches), start=first) if line.strip())
    yield from record_batches(rows, schema())


def line_bytes(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """The lines as bytes, as the CLI reads them (so a byte-order mark is handled alike)."""
    for batch in batches:
        for text in batch.column(0).to_pylist():
            yield (text or "").encode()


def _row(keyed: Keyed, position: int, line: bytes) -> tuple[Any, ...]:
    """The output row of input line ``position``: its record as the CLI writes it (``Keyed.line_answer``: each
    distinct key answered once) and the answer's columns as its key's answer holds them (the record is not parsed
    back), or its error record. The records stay bytes: Arrow takes them as text without decoding them here."""
    try:
        record, ref, answer = keyed.line_answer(position, line, read_shipment)
    except ClearanceError as exc:
        error = BatchError.of(position, exc)
        return (position, None, None, None, None, None, error.problem.message, line_json(position, error))
    required, basis, options = answer.columns
    return (position, ref, required, basis, options, answer.destination_group, None, record)
