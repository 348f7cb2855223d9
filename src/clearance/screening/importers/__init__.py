"""List importers: each reads one real list format into an immutable :class:`~clearance.screening.model.ListVersion`.

``FORMATS`` names every format; :func:`detect_format` guesses one from a path and :func:`import_list` reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers import csl, dpl, ftm, meti_ban, meti_eul, mof, ofac
from clearance.screening.model import ListVersion

Reader = Callable[[Path, dt.date | None], ListVersion]

FORMATS: dict[str, tuple[Reader, str]] = {
    "meti-eul": (meti_eul.read, "METI End User List workbook (.xlsx)"),
    "mof": (mof.read, "MOF asset-freeze list workbook (.xlsx)"),
    "meti-ban": (meti_ban.read, "METI/MOFA export-ban entity list (text of the PDF)"),
    "csl": (csl.read, "US Consolidated Screening List (compact JSON)"),
    "ofac": (ofac.read, "OFAC legacy CSV (sdn.csv or cons_prim.csv with alt/add files, or their folder)"),
    "dpl": (dpl.read, "BIS Denied Persons List (tab-separated dpl.txt)"),
    "ftm": (ftm.read, "followthemoney entities (JSON Lines or a JSON array)"),
}


def detect_format(path: Path) -> str:
    """The format of a list file from its name and first bytes, or a :class:`ListFormatError`."""
    name = path.name.lower()
    if not path.exists():
        raise ListFormatError(str(path), None, "no such file or folder")
    if path.is_dir() or name in ("sdn.csv", "cons_prim.csv", "alt.csv", "add.csv") or name.startswith("cons_"):
        return "ofac"
    if name.endswith(".xlsx"):
        return "mof" if "shisan" in name or "touketsu" in name else "meti-eul"
    if name.endswith(".pdf.txt") or "tokutei" in name:
        return "meti-ban"
    if name.startswith("dpl"):
        return "dpl"
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm.json")):
        with path.open("rb") as handle:
            head = handle.read(65536)
        return "csl" if b'"fieldKey"' in head or b'"countsBySource"' in head else "ftm"
    raise ListFormatError(str(path), None, f"cannot tell the list format; name one of: {', '.join(FORMATS)}")


def import_list(path: Path, fmt: str | None = None, list_date: dt.date | None = None) -> ListVersion:
    """Read a list file in the given (or detected) format."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ListFormatError(str(path), None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    reader, _ = FORMATS[fmt]
    return reader(path, list_date)
