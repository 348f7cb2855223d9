"""OFAC legacy CSV files: the SDN list (sdn/add/alt.csv) and the consolidated non-SDN list (cons_prim/add/alt.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import country_code, known, read_text
from clearance.screening.model import ListVersion, Party

TITLES = {
    "us-ofac-sdn": "OFAC Specially Designated Nationals (SDN) list",
    "us-ofac-cons": "OFAC Consolidated (non-SDN) Sanctions List",
}
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_ID_PATTERN = re.compile(
    r"(?:Passport|National ID No\.|Cedula No\.|NIT #|Registration (?:ID|Number)|Tax ID No\.|IMO|"
    r"Identification Number|C\.U\.R\.P\.|RFC|SSN|D\.N\.I\.)\s+([A-Z0-9][A-Z0-9./-]{3,})",
)


def files_for(path: Path) -> tuple[str, Path, Path, Path]:
    """(list id, primary, alt, add) for a folder or any one of the CSV files."""
    folder = path if path.is_dir() else path.parent
    for prefix, list_id in (("sdn", "us-ofac-sdn"), ("cons_prim", "us-ofac-cons")):
        primary = folder / f"{prefix}.csv"
        if primary.exists() and (path.is_dir() or path.name.startswith(prefix.split("_")[0])):
            stem = "" if prefix == "sdn" else "cons_"
            return list_id, primary, folder / f"{stem}alt.csv", folder / f"{stem}add.csv"
    raise ListFormatError(str(path), None, "no sdn.csv or cons_prim.csv here (OFAC legacy CSV layout)")


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    """Rows of a headerless OFAC CSV; the trailing end-of-file mark (\\x1a) is ignored."""
    if not path.exists():
        return []
    out = []
    for number, row in enumerate(csv.reader(io.StringIO(read_text(path))), start=1):
        if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
            continue
        if len(row) < width:
            raise ListFormatError(str(path), number, f"expected at least {width} columns, found {len(row)}")
        out.append((number, [v.strip() for v in row]))
    return out


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every primary row, with its alternate names (alt) and the countries of its addresses (add)."""
    list_id, primary, alt_file, add_file = files_for(path)
    aliases: dict[str, list[str]] = {}
    for _, row in _rows(alt_file, 4):
        aliases.setdefault(row[0], []).append(row[3])
    countries: dict[str, list[str]] = {}
    for _, row in _rows(add_file, 5):
        code = country_code(row[4]) if known(row[4]) else None
        if code:
            countries.setdefault(row[0], []).append(code)
    parties = []
    for number, row in _rows(primary, 12):
        ent_num, name, kind, program = row[0], row[1], row[2], row[3]
        if not ent_num.isdigit():
            raise ListFormatError(str(primary), number, f"ent_num {ent_num!r} is not a number")
        if not known(name):
            raise ListFormatError(str(primary), number, "no name")
        remarks = row[11] if known(row[11]) else ""
        identifiers = _ID_PATTERN.findall(remarks)
        if known(row[5]):
            identifiers.append(row[5])  # call sign
        parties.append(
            Party.build(
                list_id,
                ent_num,
                SCHEMAS.get(kind.lower(), "LegalEntity"),
                [name],
                aliases=[a for a in aliases.get(ent_num, []) if known(a)],
                countries=countries.get(ent_num, []),
                identifiers=identifiers,
                programs=[p.strip() for p in program.split("]") if known(p.strip(" [-"))],
                notes=[remarks] if remarks else [],
                source_row=f"{primary.name}:{number}",
            )
        )
    if not parties:
        raise ListFormatError(str(primary), None, "no entries")
    return ListVersion(list_id, TITLES[list_id], list_date, primary.parent.name, tuple(parties))
