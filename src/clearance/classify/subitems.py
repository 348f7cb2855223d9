"""Sub-items of a national control-list row, read from the row's official text.

Japanese law numbers the items of an appended-table row （一）, （二）, （十の二）…; the lines under an item
(１, ２ …) belong to it. A sub-item's id is ``<row>(<n>)`` (``5(17)``, ``7(8-2)``), the spelling the packs use
for their explicit entries. Text without such markers has no sub-items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clearance.law.egov import kanji_number

_ITEM = re.compile(r"^（([〇一二三四五六七八九十]+)(?:の([〇一二三四五六七八九十]+))?）\s*(.*)$")


@dataclass(frozen=True, slots=True)
class SubItem:
    """One numbered item of a row: its id, its number as printed, and its text (with the lines under it)."""

    id: str
    number: str
    text: str


def split_row_text(row: str, text: str | None) -> tuple[str, list[SubItem]]:
    """A row's lead text (before the first item) and its numbered sub-items, in order."""
    lead: list[str] = []
    items: list[tuple[str, str, list[str]]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _ITEM.match(line)
        if match:
            head, tail, rest = match.groups()
            number = str(kanji_number(head)) + (f"-{kanji_number(tail)}" if tail else "")
            items.append((f"{row}({number})", line[: line.index("）") + 1], [rest]))
        elif items:
            items[-1][2].append(line)
        else:
            lead.append(line)
    return "\n".join(lead), [SubItem(sid, printed, "\n".join(body)) for sid, printed, body in items]
