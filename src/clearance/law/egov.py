"""Reading Japanese law from e-Gov standard law XML (法令標準XML): appended tables as plain text.

Used to bring official text into the Japanese pack and to check the pack against the published law.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SUB_ITEM = re.compile(r"^（([一二三四五六七八九十〇]+(?:の[一二三四五六七八九十]+)?)）\s*(.*)$")


def kanji_number(text: str) -> int:
    """``一六`` (digit by digit) or ``十七`` (with 十) as an integer."""
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def row_id(label: str) -> str:
    """An Appended Table 1 row label (``三の二``, ``一六``) as the id used in packs (``3-2``, ``16``)."""
    head, _, tail = label.partition("の")
    return f"{kanji_number(head)}-{kanji_number(tail)}" if tail else str(kanji_number(head))


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of an appended table: its id, the controlled goods text, its sub-items and the region."""

    row: str
    text: str
    sub_items: dict[str, str]
    region: str


def _column_text(column: ET.Element) -> list[str]:
    return ["".join(s.itertext()).strip() for s in column.iter("Sentence") if "".join(s.itertext()).strip()]


def _table(root: ET.Element, title: str) -> ET.Element:
    for table in root.iter("AppdxTable"):
        found = table.find("AppdxTableTitle")
        if found is not None and "".join(found.itertext()).strip() == title:
            return table
    raise KeyError(title)


def appended_table_1(xml: Path) -> list[TableRow]:
    """Rows 1–16 of the Export Trade Control Order's Appended Table 1 (別表第一)."""
    table = _table(ET.parse(xml).getroot(), "別表第一")
    rows: list[TableRow] = []
    for tr in table.iter("TableRow"):
        cols = tr.findall("TableColumn")
        label = "".join(cols[0].itertext()).strip()
        if not label:
            continue
        lines = _column_text(cols[1])
        sub_items: dict[str, str] = {}
        for line in lines:
            match = _SUB_ITEM.match(line)
            if match:
                number, rest = match.groups()
                head, _, tail = number.partition("の")
                key = f"{kanji_number(head)}-{kanji_number(tail)}" if tail else str(kanji_number(head))
                sub_items[key] = rest
        region = " ".join(_column_text(cols[2])) if len(cols) > 2 else ""
        rows.append(TableRow(row_id(label), "\n".join(lines), sub_items, region))
    return rows


def country_table(xml: Path, title: str) -> list[str]:
    """The country names (Japanese) listed in an appended table such as 別表第三."""
    table = _table(ET.parse(xml).getroot(), title)
    names = [" ".join(_column_text(col)) for col in table.iter("TableColumn")]
    if not names:
        names = _column_text(table)
    return [n for n in names if n]
