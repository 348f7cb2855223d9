"""BIS Denied Persons List, the tab-separated text file with a header row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import country_code, read_text, stable_id
from clearance.screening.model import ListVersion, Party

LIST_ID = "us-bis-dpl"
TITLE = "BIS Denied Persons List"
COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date")


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every row; the id is a hash of name, address and effective date (the file has no ids)."""
    rows = csv.DictReader(io.StringIO(read_text(path)), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise ListFormatError(str(path), 1, f"header lacks {', '.join(missing)}")
    parties = []
    for number, row in enumerate(rows, start=2):
        name = (row.get("Name") or "").strip()
        if not name:
            raise ListFormatError(str(path), number, "no name")
        code = country_code(row.get("Country") or "")
        key = stable_id(name, row.get("Street_Address") or "", row.get("Effective_Date") or "")
        parties.append(
            Party.build(
                LIST_ID,
                key,
                "LegalEntity",
                [name],
                countries=[code] if code else [],
                notes=[v for v in (row.get("Action"), row.get("FR_Citation")) if v],
                source_row=f"{path.name}:{number}",
            )
        )
    if not parties:
        raise ListFormatError(str(path), None, "no entries")
    # No list date in the file (Last_Update holds typos such as 3033-09-30): the caller gives it.
    return ListVersion(LIST_ID, TITLE, list_date, path.name, tuple(parties))
