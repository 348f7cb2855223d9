"""Screening as the CLI (and later the HTTP API) uses it: lists from the store or the bundle, an index, decisions,
delta and batches. Each function is a few lines over the pure core; the caller passes the clock (``now``)."""

from __future__ import annotations

import csv
import hashlib
import io
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from clearance.errors import ClearanceError, InputError, ListFormatError, UnknownListError
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.decisions import ReviewedHit, delta, mark_changes, party_key, review
from clearance.screening.features import ALGORITHM
from clearance.screening.importers.common import country_code
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Query, ScreenConfig, query_from_entity, screen
from clearance.screening.model import SCHEMAS, ListVersion
from clearance.screening.store import ScreeningStore

INDEX_FORMAT = 1
#: The code that builds and reads an index: a cached index from other code is never reused.
_INDEX_CODE = ("normalise.py", "phonetic.py", "transliterate.py", "features.py", "index.py", "model.py")


@cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in _INDEX_CODE)).hexdigest()


def load_lists(store: ScreeningStore | None, list_ids: Iterable[str] = ()) -> list[ListVersion]:
    """The latest stored version of each list (all, or the named ones); the bundled lists when none is stored."""
    wanted = list(list_ids)
    stored = store.list_ids() if store else []
    if store and stored:
        missing = [i for i in wanted if i not in stored]
        if missing:
            raise UnknownListError(f"no imported list {', '.join(missing)} (imported: {', '.join(stored)})")
        return [v for i in (wanted or stored) if (v := store.latest(i)) is not None]
    return [load_bundled(i) for i in (wanted or bundled_ids())]


def index_for(lists: list[ListVersion], cache_dir: Path | None = None) -> ScreeningIndex:
    """An index over the lists; cached as a pickle in ``cache_dir`` keyed by the list versions, the algorithm and
    the code that builds it (an index pickled by other code is never read back)."""
    if cache_dir is None:
        return ScreeningIndex.build(lists)
    key = hashlib.sha256(
        "|".join([ALGORITHM, str(INDEX_FORMAT), _code_digest(), *sorted(v.version for v in lists)]).encode()
    ).hexdigest()[:16]
    path = cache_dir / f"screening-index-{key}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
            if isinstance(index, ScreeningIndex):
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a stale or broken cache is rebuilt below
    index = ScreeningIndex.build(lists)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in cache_dir.glob("screening-index-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # caching is an optimisation only
    return index


@dataclass(frozen=True, slots=True)
class Screening:
    """The result for one party: its key, the query, every reviewed hit, and (for delta runs) what is new."""

    key: str
    query: Query
    hits: tuple[ReviewedHit, ...]

    def to_dict(self, index: ScreeningIndex, config: ScreenConfig) -> dict[str, Any]:
        """Plain data with the algorithm, threshold and list versions that produced it."""
        return {
            "party_key": self.key,
            "query": {
                "names": list(self.query.names),
                "schema": self.query.schema,
                "countries": list(self.query.countries),
                "identifiers": list(self.query.identifiers),
            },
            "matched": any(h.candidate.match and h.status != "suppressed" for h in self.hits),
            "results": [h.to_dict() for h in self.hits],
            "algorithm": ALGORITHM,
            "threshold": config.threshold,
            "lists": dict(sorted(index.versions.items())),
        }


def screen_party(
    index: ScreeningIndex,
    query: Query,
    config: ScreenConfig,
    store: ScreeningStore | None = None,
    party_id: str | None = None,
    only_new: bool = False,
    now: str | None = None,
) -> Screening:
    """Screen one party, apply its decisions, tag what is new since its last screening and (with ``now``) record it."""
    key = party_key(query, party_id)
    hits = review(screen(index, query, config), query, store.decisions_for(key) if store else {})
    if store is not None:
        previous = store.seen_hits(key)
        hits = delta(hits, previous) if only_new else mark_changes(hits, previous)
        if now is not None:
            store.record_hits(key, hits, index.versions, now)
    return Screening(key, query, tuple(hits))


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One input row: its number, the party's own id (if given) and the query, or the error that row has."""

    row: int
    party_id: str | None
    query: Query | None
    error: ClearanceError | None = None


def parse_countries(values: Iterable[str], field: str = "country") -> tuple[str, ...]:
    """ISO 3166 alpha-2 codes from codes or names in any script (CN, China, 中国); an unknown one is an error."""
    out = []
    for value in values:
        if not value.strip():
            continue
        code = country_code(value)
        if code is None:
            raise InputError(field, f"unknown country {value!r}")
        out.append(code)
    return tuple(out)


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


def read_batch(path: Path, data: bytes) -> Iterator[BatchRow]:
    """Rows of a CSV (header with ``name`` and optional ``country``, ``schema``, ``id``, ``id_number``, ``aliases``)
    or JSON Lines (the same keys, or FtM entities); a bad row becomes a row with its error, never a dropped row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFormatError(str(path), None, f"not UTF-8 text (byte {exc.start})") from exc
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
                if not isinstance(record, dict):
                    raise InputError("row", "is not a JSON object")
                query, party_id = _query_from_record(record)
                yield BatchRow(number, party_id, query)
            except orjson.JSONDecodeError as exc:
                yield BatchRow(number, None, None, ListFormatError(str(path), number, f"invalid JSON: {exc}"))
            except ClearanceError as exc:
                yield BatchRow(number, None, None, ListFormatError(str(path), number, str(exc)))
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ListFormatError(str(path), 1, "the CSV header needs a 'name' column")
    for number, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): v for k, v in raw.items()}
        if None in raw:
            yield BatchRow(number, None, None, ListFormatError(str(path), number, "more cells than header columns"))
            continue
        try:
            query, party_id = _query_from_record(record)
            yield BatchRow(number, party_id, query)
        except ClearanceError as exc:
            yield BatchRow(number, None, None, ListFormatError(str(path), number, str(exc)))


def screen_rows(
    rows: Iterable[BatchRow],
    index: ScreeningIndex,
    config: ScreenConfig,
    store: ScreeningStore | None,
    only_new: bool,
    clock: Callable[[], str],
) -> Iterator[tuple[BatchRow, dict[str, Any]]]:
    """One JSON-ready record per input row, in order: the screening, or the row's error (never a dropped row)."""
    for row in rows:
        if row.query is None:
            yield row, {"row": row.row, "error": str(row.error)}
            continue
        try:
            result = screen_party(index, row.query, config, store, row.party_id, only_new, clock())
        except ClearanceError as exc:
            yield row, {"row": row.row, "error": f"row {row.row}: {exc}"}
            continue
        yield row, {"row": row.row, **result.to_dict(index, config)}
