"""Batch screening over a Spark DataFrame: the screening index shipped to each executor once, the parties
partitioned, each row read and screened as ``clearance screen --batch`` reads and screens it
(:func:`clearance.screening.service.json_row`, :func:`clearance.screening.matcher.screen`).

Nothing is filed: the review queue and the audit trail live in the store, which executors do not reach. A row's
record has the candidates, the list versions and the algorithm that produced them, so matches can be filed
afterwards (``clearance screen`` on the matched names)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import orjson

from clearance.errors import ClearanceError, InputError
from clearance.problems import BatchError
from clearance.screening.decisions import party_key
from clearance.screening.features import ALGORITHM
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import ScreenConfig, screen
from clearance.screening.service import json_row
from clearance.spark.arrow import record_batches, spark_schema
from clearance.spark.files import Lines, Numbering
from clearance.spark.session import Given, Shared

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame


def schema() -> pa.Schema:
    """The output's columns: the row's position, its party key, whether it matched, its best score, the matched
    entries (``list_id:entry_id``), its error, and ``record``: the whole screening as JSON."""
    import pyarrow as pa

    return pa.schema(
        [
            ("position", pa.int64()),
            ("party_key", pa.string()),
            ("matched", pa.bool_()),
            ("top_score", pa.float64()),
            ("matches", pa.list_(pa.string())),
            ("error", pa.string()),
            ("record", pa.string()),
        ]
    )


def screen_frame(lines: Lines, index: ScreeningIndex, config: ScreenConfig) -> DataFrame:
    """One row of :func:`schema` per non-blank input line, in input order within each partition."""
    shared = Shared.of(lines.frame.sparkSession, Given(index))
    return lines.frame.mapInArrow(partial(_screen_partition, shared, config, lines.numbering), spark_schema(schema()))


def _screen_partition(
    index: Shared[ScreeningIndex], config: ScreenConfig, numbering: Numbering, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    first = numbering.first()
    texts = (text or "" for batch in batches for text in batch.column(0).to_pylist())
    rows = (_row(index.value, config, n, line) for n, line in enumerate(texts, start=first) if line.strip())
    yield from record_batches(rows, schema())


def _row(index: ScreeningIndex, config: ScreenConfig, position: int, line: str) -> tuple[Any, ...]:
    row = json_row(position, line)
    try:
        if row.query is None:
            raise row.error or InputError("input", "no party")
        candidates = screen(index, row.query, config)
    except ClearanceError as exc:
        error = BatchError.of(position, exc)
        return (position, None, None, None, None, error.problem.message, orjson.dumps(error.to_dict()).decode())
    key = party_key(row.query, row.party_id)
    matched = [c for c in candidates if c.match]
    record = {
        "position": position,
        "party_key": key,
        "query": row.query.to_dict(),
        "matched": bool(matched),
        "results": [c.to_dict() for c in candidates],
        "algorithm": ALGORITHM,
        "threshold": config.threshold,
        "lists": dict(sorted(index.versions.items())),
    }
    return (
        position,
        key,
        bool(matched),
        max((c.score for c in candidates), default=None),
        [f"{c.party.list_id}:{c.party.source_id}" for c in matched],
        None,
        orjson.dumps(record, default=str).decode(),
    )
