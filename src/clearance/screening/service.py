"""Screening as the service's edges use it, without storage: one party's result with its delta, and batches of
parties (indexes over list versions are in :mod:`clearance.screening.indexes`). The lists, hits and decisions
themselves are in the store (:mod:`clearance.store.screening_lists`, :mod:`clearance.store.screening_queue`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import orjson

from clearance.batchfile import LineNumbers, file_lines
from clearance.decoding import BOM_BYTES, stream_codec
from clearance.errors import ClearanceError, InputError, ListFormatError
from clearance.law.countries import parse_country
from clearance.problems import BatchError
from clearance.screening.decisions import ReviewedHit, SeenHit, delta, mark_changes
from clearance.screening.features import ALGORITHM
from clearance.screening.matcher import Query, query_from_entity
from clearance.screening.model import SCHEMAS
from clearance.tables import (
    Skipped,
    Table,
    TableRows,
    kept_rows,
    read_notes,
    read_table,
    stream_csv,
    stream_parquet,
)

T = TypeVar("T")


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
#: Bytes read at a time to see whether a file without a JSON name holds JSON Lines.
SNIFF_BYTES = 1 << 16


class PartyBatch:
    """A file of parties to screen: a CSV, XLSX or Parquet table (a ``name`` column and optional ``country``,
    ``schema``, ``id``, ``id_number``, ``aliases``, headed in English, Japanese or Korean, read as
    :func:`clearance.tables.read_table` reads them) or JSON Lines (the same keys, or FtM entities); a bad row
    becomes a row with its error, never a dropped row.

    JSON Lines, CSV and Parquet are read a row (a row group) at a time as :meth:`rows` are used, in memory that does
    not grow with the file; XLSX, and a CSV in an encoding found only from its whole content (Shift_JIS, EUC-JP,
    EUC-KR), are read whole when the batch is opened. A row that is not a party (blank, a totals row, a title above
    the header) is no row of the batch: it is in :meth:`skipped` and :meth:`notes` once the rows below it are read."""

    def __init__(self, path: Path, lines: Callable[[], Iterable[bytes]] | None = None) -> None:
        """The batch in the file ``path``, or JSON Lines given by ``lines`` (each call from the first line: stdin,
        ``path`` then naming it, e.g. ``-``)."""
        self.path = path
        self._lines = lines or partial(file_lines, path)
        suffix = path.suffix.lower()
        if lines is not None:
            self.format = "jsonl"
        else:
            self.format = suffix[1:] if suffix in (".xlsx", ".parquet") else "jsonl" if _is_json(path) else "csv"
        self._whole: list[BatchRow] | None = None
        self._notes: Callable[[], list[str]] = list
        self._skipped: list[Skipped] = []
        self._codec = stream_codec(path) if self.format == "csv" else None
        if self.format == "xlsx" or (self.format == "csv" and self._codec is None):
            table = _read(path, lambda: read_table(path, "file", PARTY_COLUMNS, fmt=self.format))
            self._whole = list(_party_rows(path, table))
            self._skipped, self._notes = list(table.skipped), table.notes

    def rows(self) -> Iterator[BatchRow]:
        """The rows, in order, from the first, read as they are iterated."""
        if self._whole is not None:
            return iter(self._whole)
        if self.format == "jsonl":
            self._skipped = []
            self._notes = partial(read_notes, self.path.name, self._skipped, 0)
            return json_rows(self._lines(), str(self.path), self._skipped)
        table = _read(self.path, lambda: self._stream())
        self._skipped, self._notes = table.skipped, partial(table.notes, self.path.name)
        return _party_rows(self.path, table)

    def skipped(self) -> list[Skipped]:
        """The rows skipped so far (all of them once :meth:`rows` are read to the end), in order."""
        return self._skipped

    def notes(self) -> list[str]:
        """What a person should know about how the rows so far were read (:meth:`clearance.tables.Table.notes`):
        the rows skipped and why, columns not used."""
        return self._notes()

    def _stream(self) -> TableRows:
        if self.format == "parquet":
            return stream_parquet(self.path, "file", PARTY_COLUMNS)
        table = stream_csv(self.path, "file", PARTY_COLUMNS, self._codec)
        assert table is not None  # its encoding was found on opening
        return table

    def positions(self) -> Sequence[int]:
        """The position (row or line number) of each row, in order, held compactly, from a first pass over the file
        (which also finds a file that does not read before any row is screened; ``lines`` that can be read only
        once, as stdin, are counted by whoever gives them)."""
        if self._whole is not None:
            return [row.row for row in self._whole]
        if self.format == "jsonl":
            return LineNumbers(text_lines(self._lines(), str(self.path)))
        table = _read(self.path, lambda: self._stream())
        _check_named(self.path, table)
        if table.count is not None:
            return range(1, table.count + 1)
        return LineNumbers.of(number for number, _ in _reading(self.path, table.rows))


def read_batch(path: Path) -> Iterator[BatchRow]:
    """The rows of a file of parties (:class:`PartyBatch`), read as they are iterated."""
    return PartyBatch(path).rows()


def _is_json(path: Path) -> bool:
    """Whether a file holds JSON Lines: by its name, else by its first character (after any BOM) being ``{``."""
    if path.suffix.lower() in JSON_SUFFIXES:
        return True
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES).lstrip(BOM_BYTES).lstrip()
        while not head and (more := handle.read(SNIFF_BYTES)):
            head = more.lstrip()
    return head.startswith(b"{")


def _read(path: Path, read: Callable[[], T]) -> T:
    """``read()``, an :class:`InputError` it raises being the batch file's :class:`ListFormatError`."""
    try:
        return read()
    except InputError as exc:
        raise ListFormatError(str(path), None, exc.message) from None


def _reading(path: Path, items: Iterable[T]) -> Iterator[T]:
    """``items`` as they are read, an :class:`InputError` reading them being the file's :class:`ListFormatError`."""
    try:
        yield from items
    except InputError as exc:
        raise ListFormatError(str(path), None, exc.message) from None


def text_lines(lines: Iterable[bytes], file: str) -> Iterator[str]:
    """Each line of a JSON Lines input as text, without its line end (and the first without a BOM); a line that
    is not UTF-8 makes the whole input unreadable (:class:`ListFormatError` naming ``file`` and the byte, counted
    from the start after any BOM)."""
    offset = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.removeprefix(BOM_BYTES) if number == 1 else raw
        try:
            text = line.decode()
        except UnicodeDecodeError as exc:
            raise ListFormatError(file, None, f"not UTF-8 text (byte {offset + exc.start} cannot be read)") from None
        offset += len(line)
        yield text.removesuffix("\n").removesuffix("\r")


def json_rows(lines: Iterable[bytes], file: str, skipped: list[Skipped] | None = None) -> Iterator[BatchRow]:
    """The rows of JSON Lines (one per non-blank line, numbered from 1), read as they are iterated; blank lines go
    to ``skipped`` (:func:`~clearance.tables.kept_rows`)."""
    numbered = enumerate(text_lines(lines, file), start=1)
    reads = (json_row(number, line) if line.strip() else Skipped(number, "blank") for number, line in numbered)
    return kept_rows(reads, [] if skipped is None else skipped)


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


def _party_rows(path: Path, table: Table | TableRows) -> Iterator[BatchRow]:
    """A table's rows as rows of parties (:class:`ListFormatError` at once when it has no ``name`` column; when
    read as iterated, a row that does not read is one of the whole file)."""
    _check_named(path, table)
    return (_table_row(number, record) for number, record in _reading(path, table.rows))


def _check_named(path: Path, table: Table | TableRows) -> None:
    """:class:`ListFormatError` when ``table`` has no ``name`` column."""
    if "name" not in table.header:
        raise ListFormatError(str(path), table.header_row, "the header needs a 'name' column (名称, 이름 …)")


def _table_row(number: int, record: dict[str, str]) -> BatchRow:
    if "__extra__" in record:
        return BatchRow(number, None, None, InputError("input", "more cells than header columns"))
    try:
        query, party_id = _query_from_record(record)
        return BatchRow(number, party_id, query)
    except ClearanceError as exc:
        return BatchRow(number, None, None, exc)


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
