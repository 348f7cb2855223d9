"""BIS Denied Persons List, the tab-separated text file with a header row.

Each row is one denial order at one address, in force from its ``Effective_Date`` to its ``Expiration_Date``
(kept as the entry's listing dates: an expired order no longer matches). The file has no ids: an entry's id is a
hash of its name, address and effective date; a row repeating another row exactly is kept once and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import country_code, parse_date, read_text, stable_id
from clearance.screening.model import ListVersion, Party

LIST_ID = "us-bis-dpl"
TITLE = "BIS Denied Persons List"
COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date")
ADDRESS = ("Street_Address", "City", "State", "Country", "Postal_Code")


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every order; the id is a hash of name, full address and effective date."""
    rows = csv.DictReader(io.StringIO(read_text(path)), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise ListFormatError(str(path), 1, f"header lacks {', '.join(missing)}")
    parties: list[Party] = []
    first_row: dict[str, int] = {}
    warnings = []
    for number, row in enumerate(rows, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k}
        name = values.get("Name", "")
        if not name:
            raise ListFormatError(str(path), number, "no name")
        key = stable_id(name, *(values.get(c, "") for c in ADDRESS), values.get("Effective_Date", ""))
        if key in first_row:
            # The same order at the same address twice (the 2023 file repeats two rows): one entry.
            warnings.append(f"{path.name}:{number}: repeats row {first_row[key]} (same name, address and order)")
            continue
        first_row[key] = number
        code = country_code(values.get("Country", ""))
        parties.append(
            Party.build(
                LIST_ID,
                key,
                "LegalEntity",
                [name],
                countries=[code] if code else [],
                notes=[v for v in (values.get("Action"), values.get("FR_Citation")) if v],
                source_row=f"{path.name}:{number}",
                listed_on=parse_date(values.get("Effective_Date", ""), str(path), number, "Effective_Date"),
                expires_on=parse_date(values.get("Expiration_Date", ""), str(path), number, "Expiration_Date"),
            )
        )
    if not parties:
        raise ListFormatError(str(path), None, "no entries")
    # No list date in the file (Last_Update holds typos such as 3033-09-30): the caller gives it.
    return ListVersion(LIST_ID, TITLE, list_date, path.name, tuple(parties), warnings=tuple(warnings))
