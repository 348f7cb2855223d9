"""Helpers shared by the list importers: country names to codes, reading workbooks and text, stable ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from clearance.errors import ListFormatError
from clearance.screening.normalise import normalise_text
from clearance.screening.resources import name_data

UNKNOWN = frozenset({"不明", "なし", "-", "-0-", "n/a", "unknown", "none"})


@cache
def _country_index() -> dict[str, str]:
    return {normalise_text(k): v for k, v in name_data()["countries"].items()}


def country_code(text: str | None) -> str | None:
    """The ISO 3166 alpha-2 code (lower case) for a country name in any script, or None."""
    if not text:
        return None
    index = _country_index()
    key = normalise_text(text)
    if key in index:
        return index[key]
    # Mixed cells such as "エジプトEgypt" or "イラン\nIslamic Republic of Iran": try each script run and line.
    for part in re.split(r"\n|(?<=[^\x00-\x7f])(?=[A-Za-z])|(?<=[a-z])(?=[^\x00-\x7f])", text):
        code = index.get(normalise_text(part))
        if code:
            return code
    return None


def countries_in(text: str | None) -> list[str]:
    """Country codes found in a cell that may list several countries separated by commas, semicolons or lines."""
    if not text:
        return []
    code = country_code(text)
    if code:
        return [code]
    out = []
    for part in re.split(r"[;,、\n/]|\band\b|及び", text):
        code = country_code(part)
        if code and code not in out:
            out.append(code)
    return out


def cell(value: Any) -> str:
    """A cell as stripped text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def known(value: str) -> bool:
    """False for the placeholders lists use for an unknown value (不明, -0- …)."""
    return bool(value) and value.strip().casefold() not in UNKNOWN


def stable_id(*parts: str) -> str:
    """A short id derived from content, for lists whose entries have no id of their own."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def read_text(path: Path) -> str:
    """A UTF-8 (or UTF-8 with BOM) text file, or a :class:`ListFormatError` naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(str(path), None, f"not UTF-8 text (byte {exc.start})") from exc


def open_workbook(path: Path) -> Any:
    """An openpyxl workbook (read-only), or a :class:`ListFormatError` naming the file."""
    import warnings
    import zipfile

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ListFormatError(str(path), None, f"not an Excel workbook (.xlsx): {exc}") from exc


def sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(1-based row number, cells as text) for every row of a worksheet."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, tuple(cell(v) for v in row)


def date_in_name(path: Path) -> dt.date | None:
    """A YYYYMMDD date in a file name (20250929_4.xlsx → 2025-09-29), if any."""
    match = re.search(r"(20\d\d)(\d\d)(\d\d)", path.name)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


class UniqueIds:
    """Source ids for one list, unique: a repeated id gets a ``-2``, ``-3`` … suffix, and each repeat is reported
    in :attr:`warnings` (the list's publisher gave two entries one id)."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self.warnings: list[str] = []

    def claim(self, base: str, where: str) -> str:
        """A unique id for the entry at ``where`` (a file and row), from the id the list gives it."""
        if base not in self.seen:
            self.seen[base] = where
            return base
        number = 2
        while f"{base}-{number}" in self.seen:
            number += 1
        unique = f"{base}-{number}"
        self.seen[unique] = where
        self.warnings.append(f"{where}: id {base} already used at {self.seen[base]}; this entry is {unique}")
        return unique


def parse_date(value: str, file: str, row: int | str, column: str) -> dt.date | None:
    """A date written YYYY-MM-DD, MM/DD/YYYY (US lists) or "5 Mar 2024"; None when empty; a
    :class:`ListFormatError` naming the file, row and column otherwise."""
    value = value.strip()
    if not known(value):
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(value[:19] if "T" in value else value, pattern).date()
        except ValueError:
            continue
    raise ListFormatError(file, row, f"{column}: {value!r} is not a date (YYYY-MM-DD or MM/DD/YYYY)")
