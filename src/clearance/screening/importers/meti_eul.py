"""METI Foreign End User List (外国ユーザーリスト), the official Excel workbook."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import country_code, date_in_name, open_workbook, sheet_rows
from clearance.screening.model import ListVersion, Party

LIST_ID = "jp-meti-eul"
TITLE = "METI Foreign End User List (外国ユーザーリスト)"
_TRAILING_PAREN = re.compile(r"^(?P<name>.+?)\s*[(（](?P<inner>[^()（）]+)[)）]\s*$")


def _split_name(line: str) -> tuple[str, str | None]:
    """'Beijing University … (BUAA)' → ('Beijing University …', 'BUAA'); only acronyms and non-Latin text split."""
    match = _TRAILING_PAREN.match(line)
    if not match:
        return line, None
    inner = match["inner"].strip()
    if inner.upper() == inner or any(ord(ch) > 0x2FFF for ch in inner):
        return match["name"].strip(), inner
    return line, None


def _names(cell: str) -> tuple[list[str], list[str]]:
    names: list[str] = []
    aliases: list[str] = []
    for number, line in enumerate(x.strip() for x in cell.splitlines()):
        if not line:
            continue
        wrapped = _TRAILING_PAREN.match("x" + line) if line[:1] in "(（" else None
        if wrapped and line[-1:] in ")）":
            aliases.append(line.strip("()（） "))
            continue
        name, extra = _split_name(line)
        (names if number == 0 else aliases).append(name)
        if extra:
            aliases.append(extra)
    return names, aliases


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every entry of the End User List: names, aliases, country and the WMD / conventional-weapons concern."""
    book = open_workbook(path)
    sheet = book["ユーザーリスト"] if "ユーザーリスト" in book.sheetnames else book.worksheets[0]
    rows = sheet_rows(sheet)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ListFormatError(str(path), 1, "the sheet is empty") from None
    if len(header) < 4 or "Company or Organization" not in header[2]:
        raise ListFormatError(str(path), 1, "header lacks 'Company or Organization' in column C: not the End User List")
    parties = []
    for number, row in rows:
        row = row + ("",) * (6 - len(row))
        if not any(row[1:6]):
            continue
        names, aliases = _names(row[2])
        if not names:
            raise ListFormatError(str(path), number, "no company or organization name in column C")
        aliases += [a.lstrip("・").strip() for a in row[3].splitlines() if a.strip("・ ")]
        code = country_code(row[1])
        notes = [" ".join(v.split()) for v in (row[4], row[5]) if v]
        parties.append(
            Party.build(
                LIST_ID,
                str(number - 1),
                "Organization",
                names,
                aliases=aliases,
                countries=[code] if code else [],
                notes=notes,
                source_row=f"{path.name}:{number}",
            )
        )
    if not parties:
        raise ListFormatError(str(path), None, "no entries found")
    return ListVersion(LIST_ID, TITLE, list_date or date_in_name(path), path.name, tuple(parties))
