"""Screening as the service's edges use it, without storage: one party's result with its delta, and batches of
parties (indexes over list versions are in :mod:`clearance.screening.indexes`). The lists, hits and decisions
themselves are in the store (:mod:`clearance.store.screening_lists`, :mod:`clearance.store.screening_queue`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from clearance.decoding import BOM_BYTES, decode_text
from clearance.errors import ClearanceError, InputError, ListFormatError
from clearance.law.countries import parse_country
from clearance.problems import BatchError
from clearance.screening.decisions import ReviewedHit, SeenHit, delta, mark_changes
from clearance.screening.features import ALGORITHM
from clearance.screening.matcher import Query, query_from_entity
from clearance.screening.model import SCHEMAS
from clearance.tables import read_table


@dataclass(frozen=True, slots=True)
class Screening:
    """One party's screening as the CLI reports it: its key, the query, each reviewed hit with its id in the review
    queue (None for a near miss), the algorithm, threshold and list versions that produced it, and its audit
    record (sequence number and hash)."""

    key: str
    query: Query
    results: tuple[tuple[ReviewedHit, int | None], ...]
    algorithm: str
    threshold: float
    lists: Mapping[str, str]
    audit_seq: int
    audit_hash: str

    @classmethod
    def of(
        cls,
        key: str,
        query: Query,
        results: Iterable[tuple[ReviewedHit, int | None]],
        previous: Mapping[str, SeenHit],
        *,
        only_new: bool,
        threshold: float,
        lists: Mapping[str, str],
        audit: tuple[int, str],
    ) -> Screening:
        """Tag each hit ``new``, ``changed`` or ``seen`` against the party's ``previous`` hits; with ``only_new``
        keep only what :func:`~clearance.screening.decisions.delta` keeps. ``audit`` is the screening's audit record
        (sequence number, hash)."""
        pairs = list(results)
        hit_ids = {hit.candidate.party.id: hit_id for hit, hit_id in pairs}
        hits = [hit for hit, _ in pairs]
        tagged = delta(hits, previous) if only_new else mark_changes(hits, previous)
        return cls(
            key,
            query,
            tuple((h, hit_ids.get(h.candidate.party.id)) for h in tagged),
            ALGORITHM,
            threshold,
            dict(sorted(lists.items())),
            *audit,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data with the algorithm, threshold and list versions that produced it and its audit record."""
        return {
            "party_key": self.key,
            "query": {
                "names": list(self.query.names),
                "schema": self.query.schema,
                "countries": list(self.query.countries),
                "identifiers": list(self.query.identifiers),
            },
            "matched": any(h.candidate.match and h.status != "suppressed" for h, _ in self.results),
            "results": [{**h.to_dict(), "hit_id": hit_id} for h, hit_id in self.results],
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "lists": dict(self.lists),
            "audit_seq": self.audit_seq,
            "audit_hash": self.audit_hash,
        }


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One input row: its number, the party's own id (if given) and the query, or the error that row has."""

    row: int
    party_id: str | None
    query: Query | None
    error: ClearanceError | None = None


def parse_countries(values: Iterable[str], field: str = "country") -> tuple[str, ...]:
    """Lower-case ISO 3166-1 alpha-2 codes (as the index keeps them) from codes in either case; blanks are
    skipped and anything else, a country name included, is an :class:`InputError` on ``field``."""
    return tuple(parse_country(value, field).lower() for value in values if value.strip())


def _query_from_record(record: dict[str, Any]) -> tuple[Query, str | None]:
    if "schema" in record and "properties" in record:
        return query_from_entity(record), str(record["id"]) if record.get("id") else None
    name = str(record.get("name") or "").strip()
    if not name:
        raise InputError("name", "is empty")
    names = [name] + [a.strip() for a in str(record.get("aliases") or "").split(";") if a.strip()]
    schema = str(record.get("schema") or "LegalEntity").strip() or "LegalEntity"
    if schema not in SCHEMAS:
        raise InputError("schema", f"unknown schema {schema!r}")
    countries = parse_countries(str(record.get("country") or "").replace(";", ",").split(","))
    ids = [i.strip() for i in str(record.get("id_number") or "").split(";") if i.strip()]
    party_id = str(record.get("id") or "").strip() or None
    return Query(tuple(names), schema, countries, tuple(ids)), party_id


#: The columns of a table of parties to screen.
PARTY_COLUMNS = ("name", "country", "schema", "id", "id_number", "aliases")
#: File names read as JSON Lines whatever they hold.
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


def read_batch(path: Path, data: bytes) -> Iterator[BatchRow]:
    """Rows of a CSV, XLSX or Parquet table (a ``name`` column and optional ``country``, ``schema``, ``id``,
    ``id_number``, ``aliases``, headed in English, Japanese or Korean, read by :func:`clearance.tables.read_table`) or
    JSON Lines (the same keys, or FtM entities); a bad row becomes a row with its error, never a dropped row."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".parquet"):
        yield from _table_batch(path, data, suffix[1:])
        return
    if suffix not in JSON_SUFFIXES and not data.lstrip(BOM_BYTES).lstrip().startswith(b"{"):
        yield from _table_batch(path, data, "csv")
        return
    try:
        text = decode_text(data, "file")
    except InputError as exc:
        raise ListFormatError(str(path), None, exc.message) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield json_row(number, line)


def json_row(number: int, line: str | bytes) -> BatchRow:
    """Line ``number`` of a JSON Lines batch of parties as a row: its query, or its error."""
    try:
        record = orjson.loads(line)
        if not isinstance(record, dict):
            raise InputError("row", "is not a JSON object")
        query, party_id = _query_from_record(record)
        return BatchRow(number, party_id, query)
    except orjson.JSONDecodeError as exc:
        return BatchRow(number, None, None, InputError("input", f"not valid JSON: {exc}"))
    except ClearanceError as exc:
        return BatchRow(number, None, None, exc)


def _table_batch(path: Path, data: bytes, fmt: str) -> Iterator[BatchRow]:
    try:
        table = read_table(path, "file", PARTY_COLUMNS, data=data, fmt=fmt)
    except InputError as exc:
        raise ListFormatError(str(path), None, exc.message) from None
    if "name" not in table.header:
        raise ListFormatError(str(path), table.header_row, "the header needs a 'name' column (名称, 이름 …)")
    for number, record in table.rows:
        if "__extra__" in record:
            yield BatchRow(number, None, None, InputError("input", "more cells than header columns"))
            continue
        try:
            query, party_id = _query_from_record(record)
            yield BatchRow(number, party_id, query)
        except ClearanceError as exc:
            yield BatchRow(number, None, None, exc)


def row_record(row: BatchRow, result: Screening | BatchError) -> dict[str, Any]:
    """The JSON-ready record of a row: its ``position`` (the row or line number) first, then the screening; or the
    row's error record (:class:`~clearance.problems.BatchError`)."""
    return result.to_dict() if isinstance(result, BatchError) else {"position": row.row, **result.to_dict()}


def screen_rows(
    rows: Iterable[BatchRow], screen_one: Callable[[BatchRow], Screening]
) -> Iterator[tuple[BatchRow, Screening | BatchError]]:
    """Each input row, in order, with ``screen_one(row)`` or the row's error (never a dropped row)."""
    for row in rows:
        if row.query is None:
            assert row.error is not None
            yield row, BatchError.of(row.row, row.error)
            continue
        try:
            yield row, screen_one(row)
        except ClearanceError as exc:
            yield row, BatchError.of(row.row, exc)
