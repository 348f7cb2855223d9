"""List importers: each reads one real list format into an immutable :class:`~clearance.screening.model.ListVersion`.

``FORMATS`` names every format; :func:`detect_format` tells one from a file's content and :func:`import_list`
reads it (with a warning when the list has no date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers import csl, dpl, ftm, meti_ban, meti_eul, mof, ofac, un
from clearance.screening.importers.common import open_workbook, sheet_rows
from clearance.screening.model import ListVersion

Reader = Callable[[Path, dt.date | None], ListVersion]

FORMATS: dict[str, tuple[Reader, str]] = {
    "meti-eul": (meti_eul.read, "METI End User List workbook (.xlsx)"),
    "mof": (mof.read, "MOF asset-freeze list workbook (.xlsx)"),
    "meti-ban": (meti_ban.read, "METI/MOFA export-ban entity list (text of the PDF)"),
    "csl": (csl.read, "US Consolidated Screening List (compact JSON)"),
    "csl-json": (csl.read_published_json, "US Consolidated Screening List as trade.gov publishes it (JSON)"),
    "csl-csv": (csl.read_csv, "US Consolidated Screening List as trade.gov publishes it (CSV)"),
    "ofac": (ofac.read, "OFAC legacy CSV (sdn.csv or cons_prim.csv with alt/add files, or their folder)"),
    "ofac-xml": (ofac.read_xml, "OFAC XML (sdn.xml, or consolidated.xml for the non-SDN lists)"),
    "un": (un.read, "UN Security Council Consolidated List (XML)"),
    "dpl": (dpl.read, "BIS Denied Persons List (tab-separated dpl.txt)"),
    "ftm": (ftm.read, "followthemoney entities (JSON Lines or a JSON array)"),
}
_XML_ROOTS = {"sdnList": "ofac-xml", "CONSOLIDATED_LIST": "un"}
_XML_ROOT = re.compile(r"<(?:[\w.-]+:)?(\w+)[\s>/]")


def _workbook_format(path: Path) -> str:
    """meti-eul or mof, from the workbook's sheets: the End User List has one sheet (ユーザーリスト) whose header
    names 'Company or Organization'; the MOF list has one numbered sheet per programme (1．…)."""
    book = open_workbook(path)
    titles = list(book.sheetnames)
    if any(re.match(r"\s*\d+\s*[.．]", title) for title in titles):
        return "mof"
    header = [cell for _, row in islice(sheet_rows(book.worksheets[0]), 3) for cell in row]
    if "ユーザーリスト" in titles or any("Company or Organization" in cell for cell in header):
        return "meti-eul"
    raise ListFormatError(str(path), None, "a workbook that is neither the METI End User List nor the MOF list")


def _text_format(path: Path, head: str) -> str | None:
    """The format of a text file from its first characters, or None."""
    body = head.lstrip("\ufeff \r\n\t")
    if body.startswith("<"):
        for tag in _XML_ROOT.findall(body):
            if not tag.startswith(("xml", "?")):
                return _XML_ROOTS.get(tag)
        return None
    if body.startswith(("{", "[")):
        if '"fieldKey"' in head or '"countsBySource"' in head:
            return "csl"
        if '"entity_number"' in head or ('"results"' in head and '"alt_names"' in head):
            return "csl-json"
        return "ftm"
    first = body.splitlines()[0] if body else ""
    if "Street_Address" in first and "\t" in first:
        return "dpl"
    if "entity_number" in first and "alt_names" in first:
        return "csl-csv"
    if re.match(r'"?\d+"?,', first):  # headerless OFAC CSV: ent_num first
        return "ofac"
    if "所在地：" in head and ("指定日" in head or "a.k.a." in head):
        return "meti-ban"
    return None


def detect_format(path: Path) -> str:
    """The format of a list file from its content (the workbook's sheets, the XML root, the JSON keys, the CSV
    header), or a :class:`ListFormatError`."""
    if not path.exists():
        raise ListFormatError(str(path), None, "no such file or folder")
    if path.is_dir():
        return "ofac"
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read: {exc.strerror}") from exc
    if head.startswith(b"PK"):
        return _workbook_format(path)
    if path.suffix.lower() == ".xlsx":
        raise ListFormatError(str(path), None, "not an Excel workbook (.xlsx): the file is not a zip archive")
    found = _text_format(path, head.decode("utf-8", errors="ignore"))
    if found is None:
        raise ListFormatError(str(path), None, f"cannot tell the list format; name one of: {', '.join(FORMATS)}")
    return found


def import_list(path: Path, fmt: str | None = None, list_date: dt.date | None = None) -> ListVersion:
    """Read a list file in the given (or detected) format."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ListFormatError(str(path), None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    reader, _ = FORMATS[fmt]
    version = reader(path, list_date)
    if version.list_date is None:
        version = version.warn(f"{path.name}: the file gives no list date and none was given (--date)")
    return version
