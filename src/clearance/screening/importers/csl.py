"""US Consolidated Screening List (trade.gov): the JSON and CSV files trade.gov publishes, and the compact JSON of
../shared/data/us-csl-2026-07-31 (the same records with short keys and shared tables).

Each record's id is its source list's code and entry number (``EL-12345``), or, for the lists without entry
numbers (the Denied Persons List), a hash of its name and countries; an id repeated is made unique and reported.
The Denied Persons orders carry their start and end dates: an expired order no longer matches.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from clearance.errors import ListFormatError
from clearance.screening.importers.common import UniqueIds, country_code, known, parse_date, read_text, stable_id
from clearance.screening.model import ListVersion, Party

LIST_ID = "us-csl"
TITLE = "US Consolidated Screening List (Commerce, State, Treasury)"
SCHEMAS = {"Individual": "Person", "Entity": "LegalEntity", "Vessel": "Vessel", "Aircraft": "Airplane"}
#: The columns of trade.gov's CSV (``consolidated.csv``) this importer needs.
CSV_COLUMNS = ("source", "entity_number", "type", "programs", "name", "alt_names", "addresses")


def _source_code(name: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' → 'EL'."""
    match = re.search(r"\(([A-Z][A-Z-]+)(?: List)?\)", name)
    return match[1] if match else stable_id(name)[:6]


class _Builder:
    """Parties from CSL records, with unique ids."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids = UniqueIds()
        self.parties: list[Party] = []

    def add(
        self,
        where: int | str,
        *,
        name: str,
        source: str,
        kind: str,
        number: str,
        aliases: Iterable[str],
        countries: Sequence[str],
        programs: Iterable[str],
        notice: str = "",
        identifiers: Iterable[str] = (),
        start: str = "",
        end: str = "",
    ) -> None:
        if not name.strip():
            raise ListFormatError(str(self.path), where, "entry without a name")
        code = _source_code(source)
        base = f"{code}-{number}" if number else f"{code}-{stable_id(name, *(c.upper() for c in countries))}"
        row = f"{self.path.name}:{where}"
        self.parties.append(
            Party.build(
                LIST_ID,
                self.ids.claim(base, row),
                SCHEMAS.get(kind, "LegalEntity"),
                [name],
                aliases=aliases,
                countries=countries,
                identifiers=identifiers,
                programs=[source, *programs],
                notes=[notice] if notice else [],
                source_row=row,
                listed_on=parse_date(start, str(self.path), where, "start_date"),
                expires_on=parse_date(end, str(self.path), where, "end_date"),
            )
        )

    def version(self, list_date: dt.date | None) -> ListVersion:
        if not self.parties:
            raise ListFormatError(str(self.path), None, "no entries")
        return ListVersion(
            LIST_ID, TITLE, list_date, self.path.name, tuple(self.parties), warnings=tuple(self.ids.warnings)
        )


def _load_json(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ListFormatError(str(path), exc.lineno, f"invalid JSON: {exc.msg}") from exc


def _iso_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if re.match(r"\d{4}-\d\d-\d\d", text) else None


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """The compact JSON (``fieldKey``, ``tables``, ``entries``)."""
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list) or "tables" not in data:
        raise ListFormatError(str(path), None, "expected an object with 'entries' and 'tables' (compact CSL JSON)")
    tables = data["tables"]
    sources: list[str] = tables.get("sources", [])
    programmes: list[str] = tables.get("programmes", [])
    builder = _Builder(path)
    for number, entry in enumerate(data["entries"], start=1):
        where = f"entries[{number - 1}]"
        if not isinstance(entry, dict) or not str(entry.get("n") or "").strip():
            raise ListFormatError(str(path), where, "entry without a name ('n')")
        try:
            source = sources[int(entry["s"])]
            program = programmes[int(entry["pg"])] if "pg" in entry else None
        except (KeyError, IndexError, TypeError, ValueError):
            raise ListFormatError(str(path), where, "source or programme index out of the tables") from None
        builder.add(
            where,
            name=str(entry["n"]),
            source=source,
            kind=str(entry.get("t")),
            number=str(entry.get("e") or ""),
            aliases=[str(a) for a in entry.get("a", [])],
            countries=[str(c) for c in entry.get("c", [])],
            programs=[program] if isinstance(program, str) else [],
            notice=str(entry.get("fr") or ""),
        )
    return builder.version(list_date or _iso_date(str(data.get("sourceGeneratedAt") or "")))


def _countries(addresses: Iterable[Mapping[str, Any]]) -> list[str]:
    out = []
    for address in addresses:
        code = country_code(str(address.get("country") or ""))
        if code and code not in out:
            out.append(code)
    return out


def _ids(values: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(v["number"]) for v in values if isinstance(v, Mapping) and known(str(v.get("number") or ""))]


def read_published_json(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """trade.gov's JSON: ``{"results": [record, …]}`` (as the bulk download and the search API give it)."""
    data = _load_json(path)
    records = data.get("results") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise ListFormatError(str(path), None, "expected an object with 'results' (a list of CSL records)")
    builder = _Builder(path)
    for number, record in enumerate(records):
        where = f"results[{number}]"
        if not isinstance(record, dict) or "source" not in record:
            raise ListFormatError(str(path), where, "not a CSL record (no 'source')")
        builder.add(
            where,
            name=str(record.get("name") or ""),
            source=str(record["source"]),
            kind=str(record.get("type") or ""),
            number=str(record.get("entity_number") or ""),
            aliases=[str(a) for a in record.get("alt_names") or []],
            countries=_countries(a for a in record.get("addresses") or [] if isinstance(a, Mapping)),
            programs=[str(p) for p in record.get("programs") or []],
            notice=str(record.get("federal_register_notice") or ""),
            identifiers=_ids(record.get("ids") or []),
            start=str(record.get("start_date") or ""),
            end=str(record.get("end_date") or ""),
        )
    when = _iso_date(str(data.get("search_performed_at") or "")) if isinstance(data, dict) else None
    return builder.version(list_date or when)


def _split(cell: str) -> list[str]:
    """A multi-valued CSV cell: values separated by semicolons."""
    return [v.strip() for v in cell.split(";") if known(v.strip())]


def read_csv(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """trade.gov's CSV (``consolidated.csv``): one row per record, several values in a cell separated by ``;``,
    each address ending in its country code."""
    rows = csv.DictReader(io.StringIO(read_text(path)))
    missing = [c for c in CSV_COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise ListFormatError(str(path), 1, f"header lacks {', '.join(missing)}: not the CSL CSV")
    builder = _Builder(path)
    for number, row in enumerate(rows, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k}
        addresses = [{"country": a.rsplit(",", 1)[-1]} for a in _split(values.get("addresses", ""))]
        ids = [{"number": i.split(",")[1] if "," in i else i} for i in _split(values.get("ids", ""))]
        builder.add(
            number,
            name=values.get("name", ""),
            source=values.get("source", ""),
            kind=values.get("type", ""),
            number=values.get("entity_number", ""),
            aliases=_split(values.get("alt_names", "")),
            countries=_countries(addresses),
            programs=_split(values.get("programs", "")),
            notice=values.get("federal_register_notice", ""),
            identifiers=_ids(i for i in ids if i["number"].strip()),
            start=values.get("start_date", ""),
            end=values.get("end_date", ""),
        )
    return builder.version(list_date)
