"""OFAC's files: the legacy CSV of the SDN list (sdn/add/alt.csv) and of the consolidated non-SDN list
(cons_prim/add/alt.csv), and the XML of either (``<sdnList>``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import country_code, known, parse_date, read_text
from clearance.screening.importers.xmlfile import read_xml as read_xml_file
from clearance.screening.importers.xmlfile import text, texts
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


def files_for(path: Path) -> tuple[str, Path, Path | None, Path | None]:
    """(list id, primary, alt, add) for a folder or any one of the CSV files."""
    folder = path if path.is_dir() else path.parent
    files = {p.name.lower(): p for p in folder.iterdir()}  # OFAC publishes SDN.CSV, ALT.CSV …: any case
    for prefix, list_id in (("sdn", "us-ofac-sdn"), ("cons_prim", "us-ofac-cons")):
        primary = files.get(f"{prefix}.csv")
        if primary is not None and (path.is_dir() or path.name.lower().startswith(prefix.split("_")[0])):
            stem = "" if prefix == "sdn" else "cons_"
            return list_id, primary, files.get(f"{stem}alt.csv"), files.get(f"{stem}add.csv")
    raise ListFormatError(str(path), None, "no sdn.csv or cons_prim.csv here (OFAC legacy CSV layout)")


def _rows(path: Path | None, width: int) -> list[tuple[int, list[str]]]:
    """Rows of a headerless OFAC CSV (none when the file is absent); the trailing end-of-file mark (\\x1a) is
    ignored."""
    if path is None:
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


def _person_name(element: ET.Element) -> str:
    """'LAST, First' as in the CSV's SDN_Name (just the last name for entities, vessels and aircraft)."""
    last, first = text(element, "lastName"), text(element, "firstName")
    return f"{last}, {first}" if last and first else last or first


def read_xml(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """OFAC's XML (``sdn.xml``, or ``consolidated.xml`` for the non-SDN lists; both ``<sdnList>``): every
    ``sdnEntry`` with its a.k.a. names, programmes, identifiers and the countries of its addresses and nationalities.
    The list is the consolidated one when the file's name says so (``cons``), else the SDN list."""
    root = read_xml_file(path)
    if root.tag != "sdnList":
        raise ListFormatError(str(path), None, f"root element <{root.tag}>, expected <sdnList> (OFAC XML)")
    list_id = "us-ofac-cons" if "cons" in path.name.lower() else "us-ofac-sdn"
    parties = []
    for number, entry in enumerate(root.iterfind("sdnEntry"), start=1):
        uid, name = text(entry, "uid"), _person_name(entry)
        where = f"sdnEntry[{number}]"
        if not uid.isdigit():
            raise ListFormatError(str(path), where, f"uid {uid!r} is not a number")
        if not name:
            raise ListFormatError(str(path), where, "no lastName")
        countries = [
            code
            for country in texts(entry, "addressList/address/country") + texts(entry, "nationalityList/*/country")
            if (code := country_code(country))
        ]
        parties.append(
            Party.build(
                list_id,
                uid,
                SCHEMAS.get(text(entry, "sdnType").lower(), "LegalEntity"),
                [name],
                aliases=[_person_name(aka) for aka in entry.iterfind("akaList/aka")],
                countries=countries,
                identifiers=texts(entry, "idList/id/idNumber"),
                programs=texts(entry, "programList/program"),
                notes=texts(entry, "remarks"),
                source_row=f"{path.name}:{where}",
            )
        )
    if not parties:
        raise ListFormatError(str(path), None, "no sdnEntry elements")
    published = text(root, "publshInformation/Publish_Date")
    when = list_date or parse_date(published, str(path), "publshInformation", "Publish_Date")
    return ListVersion(list_id, TITLES[list_id], when, path.name, tuple(parties))
